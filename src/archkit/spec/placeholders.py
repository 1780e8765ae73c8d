"""``${...}`` placeholders in spec strings (function environment values, nag suppression finding ids).

One place says which placeholders exist and what the account-independent ones resolve to, so the CDK
layer, verify's desired states and the spec validation cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from archkit.spec.naming import physical_name

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
"""Matches ``${ref}``; group 1 is the reference (``tables.main.name``)."""


def placeholder_targets(spec: ArchSpec) -> set[str]:
    """Every reference a placeholder of this spec may name."""
    targets = {"project", "environment", "region", "api.url", "domain_name"}
    for kind in ("tables", "buckets"):
        for key in getattr(spec, kind):
            targets |= {f"{kind}.{key}.name", f"{kind}.{key}.arn"}
    return targets


def resolve_placeholders(spec: ArchSpec, value: str, other: Callable[[str], str | None] | None = None) -> str:
    """Fill the account-independent placeholders: ``project``, ``environment``, ``region``, ``domain_name``
    and ``<tables|buckets>.<key>.name``. Any other reference goes to ``other`` (e.g. an ARN token in CDK);
    when it is not given or returns None, the placeholder stays as written."""
    fixed = {
        "project": spec.project,
        "environment": spec.environment,
        "region": spec.region,
        "domain_name": spec.edge.dns.domain_name,
    }

    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in fixed:
            return fixed[ref]
        kind, _, rest = ref.partition(".")
        key, _, attr = rest.partition(".")
        if kind in ("tables", "buckets") and attr == "name":
            return physical_name(spec, key, kind)  # type: ignore[arg-type]
        resolved = other(ref) if other is not None else None
        return match.group(0) if resolved is None else resolved

    return PLACEHOLDER.sub(one, value)
