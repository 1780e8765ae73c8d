"""Small helpers shared by rules: finding a state's spec entry and reading the spec's intent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from archkit.verify.state import PUBLIC_PRINCIPAL, statement_key

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

BACKUP_PREFIX = "backups/"
"""The seed's prefix for automated backups (`{project}-{environment}-assets/backups/`)."""


def spec_entry(spec: ArchSpec, path: str) -> Any | None:
    """The spec model at a two-part spec path such as ``tables.main`` (None if the spec has no such entry)."""
    kind, _, key = path.partition(".")
    pool = getattr(spec, kind, None)
    if isinstance(pool, dict):
        return pool.get(key)
    return None


def backup_prefixes(spec: ArchSpec, bucket_path: str, observed_prefixes: list[str]) -> list[str]:
    """Prefixes of a bucket holding backups: declared under ``backups/``, or so named in the account."""
    declared = spec_entry(spec, bucket_path)
    found = {p.path for p in declared.prefixes} if declared is not None else set()
    found |= set(observed_prefixes)
    tops = sorted(p for p in found if p.startswith(BACKUP_PREFIX) or p.rstrip("/").endswith("backups"))
    # Keep the top-most prefixes: `backups/` covers `backups/database/`.
    return [p for p in tops if not any(p != other and p.startswith(other) for other in tops)]


def covers(rule_prefix: str, prefix: str) -> bool:
    """Whether a configuration on ``rule_prefix`` (empty: the whole bucket) applies to all of ``prefix``."""
    return prefix.startswith(rule_prefix)


NARROWING_CONDITION_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
    }
)
"""Condition keys that limit a statement to an account, an organization, a network or a source resource
(`aws:SourceIp` is not one: a range can be the whole internet)."""


def is_narrowed(conditions: list[str]) -> bool:
    """Does a resource policy statement state carry a condition that scopes it (`<operator> <key>`)?"""
    return any(c.split(" ", 1)[-1] in NARROWING_CONDITION_KEYS for c in conditions)


def public_statements(policy: Mapping[str, Any]) -> list[str]:
    """Keys of the statements of a resource policy state that allow everyone, unscoped (`Allow *`)."""
    key = statement_key("Allow", PUBLIC_PRINCIPAL)
    return [key] if key in policy and not is_narrowed(policy[key].conditions) else []
