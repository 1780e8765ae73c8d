"""Template-level changes: synthesize both sides (the ``archkit generate`` code path, cached by input hash)
and compare the CloudFormation templates resource by resource.

Resources match by stack (without the ``{project}-{environment}-`` prefix) and logical id; the ``archkit:id``
tag names the spec path. A changed create-only property (or a changed type) means CloudFormation replaces
the resource; a resource gone from HEAD's templates is deleted.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from archkit.diff.create_only import changed, create_only
from archkit.diff.model import Replacement
from archkit.diff.sides import Side, SideError
from archkit.spec import ID_TAG

CACHE_ENV = "ARCHKIT_CACHE_DIR"
CACHE_KEEP = 8
"""Synthesized assemblies kept in the cache (oldest removed first)."""


def cache_root() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit) / "diff"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "archkit" / "diff"


@dataclass(frozen=True)
class TemplateResource:
    stack: str
    """Stack name without the ``{project}-{environment}-`` prefix (``data``, ``network``)."""
    logical_id: str
    type: str
    properties: dict[str, Any]
    path: str | None
    """Spec path from the ``archkit:id`` tag; None for a resource archkit does not tag."""
    deletion_policy: str | None

    @property
    def key(self) -> tuple[str, str]:
        return self.stack, self.logical_id


@dataclass(frozen=True)
class TemplateChange:
    kind: Literal["deleted", "created", "replaced"]
    resource: TemplateResource
    """The BASE resource (HEAD's for ``created``)."""
    replacement: Replacement | None = None
    new: TemplateResource | None = None
    """HEAD's resource of a replacement."""


def _tag(properties: dict[str, Any]) -> str | None:
    def from_tags(tags: Any) -> str | None:
        if isinstance(tags, dict):
            value = tags.get(ID_TAG)
            return value if isinstance(value, str) else None
        if isinstance(tags, list):
            for tag in tags:
                if isinstance(tag, dict) and tag.get("Key") == ID_TAG and isinstance(tag.get("Value"), str):
                    return str(tag["Value"])
        return None

    found = from_tags(properties.get("Tags"))
    for replica in properties.get("Replicas") or []:  # AWS::DynamoDB::GlobalTable tags its replicas
        found = found or (from_tags(replica.get("Tags")) if isinstance(replica, dict) else None)
    return found


def read_assembly(cdk_out: Path, prefix: str) -> dict[tuple[str, str], TemplateResource]:
    manifest = json.loads((cdk_out / "manifest.json").read_text(encoding="utf-8"))
    out: dict[tuple[str, str], TemplateResource] = {}
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = json.loads((cdk_out / artifact["properties"]["templateFile"]).read_text(encoding="utf-8"))
        stack = name.removeprefix(prefix)
        for logical_id, res in template.get("Resources", {}).items():
            props = res.get("Properties") or {}
            item = TemplateResource(
                stack, logical_id, res["Type"], props, _tag(props), res.get("DeletionPolicy")
            )
            out[item.key] = item
    return out


def _prune(root: Path, keep: Path) -> None:
    entries = sorted((p for p in root.iterdir() if p.is_dir() and p != keep), key=lambda p: p.stat().st_mtime)
    for old in entries[: max(0, len(entries) - (CACHE_KEEP - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def synthesize_side(
    side: Side, progress: Callable[[str], None] | None = None
) -> dict[tuple[str, str], TemplateResource]:
    """The templates of a side, synthesized once per input hash into the cache."""
    from archkit.cdk.errors import CdkBuildErrors
    from archkit.cdk.fingerprint import input_digest
    from archkit.cdk.synth import CDK_OUT, NagViolations, synthesize

    spec_file = side.materialize()
    digest = input_digest(side.spec, spec_file)
    root = cache_root()
    out_dir = root / digest[:32]
    if progress:
        progress(f"synthesizing {side.role} ({side.label})")
    try:
        synthesize(side.spec, spec_file, out_dir)
    except CdkBuildErrors as exc:
        raise SideError(
            side.role,
            side.label,
            message=f"{side.role} ({side.label}): CDK cannot build it: "
            + "; ".join(str(e) for e in exc.errors),
        ) from None
    except NagViolations as exc:
        raise SideError(side.role, side.label, message=f"{side.role} ({side.label}): {exc}") from None
    os.utime(out_dir)
    _prune(root, out_dir)
    prefix = f"{side.spec.project}-{side.spec.environment}-"
    return read_assembly(out_dir / CDK_OUT, prefix)


def template_changes(
    base: dict[tuple[str, str], TemplateResource], head: dict[tuple[str, str], TemplateResource]
) -> list[TemplateChange]:
    """Deleted, created and replaced resources, in a stable order (stack, logical id)."""
    out: list[TemplateChange] = []
    for key in sorted(base.keys() | head.keys()):
        old, new = base.get(key), head.get(key)
        if new is None:
            assert old is not None
            out.append(TemplateChange("deleted", old))
            continue
        if old is None:
            out.append(TemplateChange("created", new))
            continue
        if old.type != new.type:
            out.append(TemplateChange("replaced", old, Replacement(key[0], key[1], new.type, ("Type",)), new))
            continue
        rules = create_only(new.type)
        if rules is None:
            continue
        hard = tuple(p for p in rules.create_only if changed(old.properties, new.properties, p))
        soft = tuple(p for p in rules.conditional if changed(old.properties, new.properties, p))
        if hard or soft:
            out.append(
                TemplateChange(
                    "replaced",
                    old,
                    Replacement(key[0], key[1], new.type, hard or soft, conditional=not hard),
                    new,
                )
            )
    return out
