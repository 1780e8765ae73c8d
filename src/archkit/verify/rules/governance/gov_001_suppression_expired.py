"""ARCH-GOV-001: a suppression past its expiry date is itself a finding."""

from __future__ import annotations

from archkit.verify.rules.base import (
    SYSTEM,
    Outcome,
    RuleContext,
    SystemScope,
    failed,
    not_applicable,
    passed,
    rule,
)
from archkit.verify.rules.suppressions import is_expired


@rule(
    id="ARCH-GOV-001",
    title="Compliance suppressions have not expired",
    severity="medium",
    layer="governance",
    enforces="Suppressions live in the spec, each with a reason and an optional expiry",
    applies_to=SYSTEM,
    resource_type="*",
    remediation=(
        "Fix the finding the suppression accepted, or review the reason and move `expires` to a new date "
        "under `compliance.suppressions`."
    ),
)
def check(_: SystemScope, ctx: RuleContext) -> list[Outcome]:
    """An expired suppression no longer hides the finding it accepted, and is reported itself so that
    the accepted risk is reviewed again."""
    outcomes: list[Outcome] = []
    for index, entry in enumerate(ctx.spec.compliance.suppressions):
        where = f"compliance.suppressions.{index}"
        if entry.expires is None:
            outcomes.append(not_applicable("the suppression does not expire", resource=where))
        elif is_expired(entry, ctx.today):
            outcomes.append(
                failed(
                    f"suppression of {entry.rule} on {entry.resource} expired on {entry.expires.isoformat()}",
                    attribute="expires",
                    expected=f"on or after {ctx.today.isoformat()}",
                    actual=entry.expires.isoformat(),
                    resource=where,
                )
            )
        else:
            outcomes.append(passed(f"valid until {entry.expires.isoformat()}", resource=where))
    return outcomes
