"""Suppressions from the spec: which failing outcome each accepts, and which have expired."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.spec.policy import SuppressionSpec
    from archkit.spec.system import ArchSpec


def is_expired(suppression: SuppressionSpec, today: dt.date) -> bool:
    """A suppression is valid through its expiry date and expired from the day after."""
    return suppression.expires is not None and suppression.expires < today


def matching_suppression(
    spec: ArchSpec, rule_id: str, resource: str, today: dt.date
) -> tuple[int, SuppressionSpec] | None:
    """The first unexpired suppression accepting ``rule_id`` on ``resource`` (exact path or ``*``): the
    spec's own, then those its cdk-nag suppressions imply (one decision, one suppression)."""
    from archkit.spec.suppressions import implied_suppressions

    for index, entry in enumerate([*spec.compliance.suppressions, *implied_suppressions(spec)]):
        if entry.rule != rule_id or is_expired(entry, today):
            continue
        if entry.resource in ("*", resource):
            return index, entry
    return None
