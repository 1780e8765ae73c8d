"""What every archkit construct needs besides the spec: where the spec lives, names, tags and the
registry of constructs per spec path (used to scope cdk-nag suppressions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import aws_cdk as cdk
from constructs import IConstruct

from archkit.cdk.limits import RETENTION_DAYS
from archkit.spec import ArchSpec
from archkit.spec.name_patterns import NameKind
from archkit.spec.naming import ID_TAG, physical_name


@dataclass
class BuildContext:
    """The spec being built plus shared bookkeeping. One per app (or per standalone construct)."""

    spec: ArchSpec
    spec_dir: Path = field(default_factory=Path.cwd)
    registry: dict[str, list[IConstruct]] = field(default_factory=dict)

    def name(self, key: str, kind: NameKind | None = None) -> str:
        """Physical name from the one naming function (``kind``: the spec section, e.g. ``buckets``)."""
        return physical_name(self.spec, key, kind)

    def code_path(self, relative: str) -> str:
        return str((self.spec_dir / relative).resolve())

    def own(self, spec_path: str, construct: IConstruct) -> IConstruct:
        """Record that ``construct`` (and its children) implements ``spec_path``, and tag it so."""
        self.registry.setdefault(spec_path, []).append(construct)
        cdk.Tags.of(construct).add(ID_TAG, spec_path)
        return construct


def retention(days: int) -> object:
    """The CDK RetentionDays member for a number of days (validated by preflight)."""
    from aws_cdk import aws_logs as logs

    return getattr(logs.RetentionDays, RETENTION_DAYS[days])


def name_tag(construct: IConstruct, name: str) -> None:
    cdk.Tags.of(construct).add("Name", name)
