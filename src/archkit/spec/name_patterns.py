"""How a spec names its resources: the name pattern (global and per resource type) and its placeholders.

The naming function (:mod:`archkit.spec.naming`) applies it; this module only says what a pattern may hold.
"""

from __future__ import annotations

import string
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field

from archkit.spec.base import SpecModel

NameKind = Literal["buckets", "tables", "functions", "secrets"]
"""Resource types whose names a spec may pattern per type and override per resource (the spec section)."""

NAME_KINDS: tuple[NameKind, ...] = get_args(NameKind)

DEFAULT_PATTERN = "{project}-{environment}-{key}"
"""The name every resource gets unless the spec says otherwise (the seed's `shop-prod-assets`)."""

PLACEHOLDERS = ("project", "environment", "key", "account", "region")
"""What a pattern may contain: `{key}` is the resource's spec key (underscores as hyphens), `{region}` the
spec's primary region, `{account}` the account id (the spec's `account`, else resolved at deploy time)."""

ACCOUNT = "{account}"
"""The unresolved account placeholder, as it stays in a name until an account id is known."""

SAMPLE_ACCOUNT = "123456789012"
"""An account id's shape: names holding an unresolved `{account}` are checked with it (12 digits)."""


def pattern_problem(pattern: str, *, needs_key: bool = True) -> str | None:
    """Why ``pattern`` is not a usable name pattern (or, without ``needs_key``, explicit name), or None."""
    import difflib

    try:
        fields = [f for _, f, spec, conv in string.Formatter().parse(pattern) if f is not None]
    except ValueError as exc:
        return f"'{pattern}' is not a name pattern ({exc}; write placeholders as {{project}})"
    for field in fields:
        if field not in PLACEHOLDERS:
            close = difflib.get_close_matches(field, PLACEHOLDERS, n=1)
            hint = f" (did you mean '{{{close[0]}}}'?)" if close else ""
            known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            return f"unknown placeholder '{{{field}}}' in '{pattern}'{hint}; a pattern may hold {known}"
    if needs_key and "key" not in fields:
        return f"'{pattern}' has no {{key}}: every resource of the type would get the same name"
    return None


def _check_pattern(value: str) -> str:
    problem = pattern_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_explicit(value: str) -> str:
    problem = pattern_problem(value, needs_key=False)
    if problem:
        raise ValueError(problem)
    return value


NamePattern = Annotated[str, AfterValidator(_check_pattern)]
"""A name pattern: placeholders among PLACEHOLDERS, `{key}` required."""

PhysicalName = Annotated[str, AfterValidator(_check_explicit), Field(min_length=1)]
"""An explicit physical name; it may hold the same placeholders (e.g. `{account}`)."""

PHYSICAL_NAME_FIELD = Field(
    default=None,
    description=(
        "Explicit physical name, overriding the naming pattern (placeholders such as `{account}` allowed); "
        "checked against AWS's naming rules."
    ),
)
"""The `physical_name` field of every resource whose name a spec may override (one description)."""


class NamingSpec(SpecModel):
    """Physical names: a pattern for every resource, optionally one per resource type.

    S3 bucket names are global across all AWS accounts: a pattern with `{account}` (or a fixed suffix)
    keeps two accounts deploying the same spec from colliding. A resource's own `physical_name`
    overrides both.
    """

    pattern: NamePattern = Field(
        default=DEFAULT_PATTERN,
        description=(
            "Pattern of every physical name; placeholders `{project}`, `{environment}`, `{key}` (required), "
            "`{account}`, `{region}`."
        ),
    )
    patterns: dict[NameKind, NamePattern] = Field(
        default={},
        description="Pattern per resource type (e.g. `buckets: '{project}-{environment}-{key}-{account}'`).",
    )
