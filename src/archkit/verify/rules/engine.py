"""Run the rules over a set of states and turn failing outcomes into findings (suppressions applied)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from archkit.verify.rules.base import SYSTEM, Mode, Outcome, Rule, RuleContext, RuleMeta, Status
from archkit.verify.rules.suppressions import matching_suppression

if TYPE_CHECKING:
    from archkit.spec.policy import SuppressionSpec
    from archkit.spec.system import ArchSpec
    from archkit.verify.findings import Finding


@dataclass(frozen=True)
class RuleResult:
    """One outcome of one rule on one resource, with where it came from and any suppression."""

    rule: RuleMeta
    status: Status
    resource: str
    resource_type: str
    physical_id: str | None
    message: str
    attribute: str | None = None
    expected: Any = None
    actual: Any = None
    suppression: SuppressionSpec | None = None
    suppression_index: int | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.rule.id, self.resource, self.attribute or "", self.message)


def _resource_of(
    state: Any, rule: Rule, override: str | None, ctx: RuleContext
) -> tuple[str, str, str | None]:
    """Spec path, CloudFormation type and physical id of the resource an outcome is about."""
    if override is None:
        return state.path, state.resource_type, state.physical_id
    # The outcome names another resource (system-wide rules always do): describe it by its state if any.
    named = ctx.get(override)
    if named is not None:
        return override, named.resource_type, named.physical_id
    fallback_type = rule.meta.resource_type if rule.is_system else state.resource_type
    return override, fallback_type, None


def _unless_unread(outcome: Outcome, state: Any, ctx: RuleContext) -> Outcome:
    """A failure about a resource or attribute that could not be read is not a verdict: not applicable."""
    if outcome.status != "fail":
        return outcome
    if outcome.resource is not None and outcome.resource in ctx.unreadable:
        return replace(
            outcome, status="not_applicable", message=f"not checked: {outcome.resource} could not be read"
        )
    unread: dict[str, str] = getattr(state, "unreadable", None) or {}
    if outcome.attribute is not None and unread:
        root = outcome.attribute.split(".", 1)[0].split("[", 1)[0]
        for attribute, reason in unread.items():
            if attribute == "*" or attribute.split(".", 1)[0] == root:
                return replace(
                    outcome, status="not_applicable", message=f"not checked: {attribute}: {reason}"
                )
    return outcome


def evaluate_results(
    states: Sequence[Any],
    spec: ArchSpec,
    *,
    mode: Mode = "desired",
    today: dt.date | None = None,
    unreadable: Iterable[str] = (),
    rules: Iterable[Rule] | None = None,
) -> list[RuleResult]:
    """Every outcome (pass, fail, not applicable) of every rule on every state it applies to, sorted.

    ``unreadable``: spec paths the collectors could not read. A failure that rests on something unread (a
    resource in ``unreadable``, or an attribute in the state's own ``unreadable``) becomes not applicable:
    verify reports those as not_checked, and a compliance failure there would be a guess.
    """
    from archkit.verify.rules.registry import all_rules

    ctx = RuleContext(
        spec=spec,
        states=list(states),
        mode=mode,
        today=today or dt.date.today(),
        unreadable=frozenset(unreadable),
    )
    results: list[RuleResult] = []
    for rule in all_rules() if rules is None else rules:
        targets: list[Any] = [SYSTEM] if rule.is_system else ctx.of_type(rule.applies_to)
        for state in targets:
            for outcome in rule.run(state, ctx):
                outcome = _unless_unread(outcome, state, ctx)
                resource, resource_type, physical_id = _resource_of(state, rule, outcome.resource, ctx)
                match = (
                    matching_suppression(spec, rule.id, resource, ctx.today)
                    if outcome.status == "fail"
                    else None
                )
                results.append(
                    RuleResult(
                        rule=rule.meta,
                        status=outcome.status,
                        resource=resource,
                        resource_type=resource_type,
                        physical_id=physical_id,
                        message=outcome.message,
                        attribute=outcome.attribute,
                        expected=outcome.expected,
                        actual=outcome.actual,
                        suppression=match[1] if match else None,
                        suppression_index=match[0] if match else None,
                    )
                )
    return sorted(results, key=RuleResult.sort_key)


def to_finding(result: RuleResult) -> Finding:
    """A failed outcome as a compliance finding (the report model shared with drift)."""
    from archkit.verify.findings import Finding

    extra: dict[str, Any] = {}
    if result.suppression is not None:
        note = result.suppression.reason
        if result.suppression.expires is not None:
            note += f" (until {result.suppression.expires.isoformat()})"
        extra = {"suppressed": True, "suppression": note}
    return Finding(
        kind="compliance",
        rule_id=result.rule.id,
        title=result.rule.title,
        resource=result.resource,
        resource_type=result.resource_type,
        physical_id=result.physical_id,
        attribute=result.attribute,
        expected=result.expected,
        actual=result.actual,
        severity=result.rule.severity,
        message=f"{result.rule.title}: {result.message}" if result.message else result.rule.title,
        **extra,
    )


def evaluate(
    states: Sequence[Any],
    spec: ArchSpec,
    *,
    mode: Mode = "desired",
    today: dt.date | None = None,
) -> list[Finding]:
    """Compliance findings: one per failed outcome; suppressed ones included and marked suppressed."""
    return [
        to_finding(r) for r in evaluate_results(states, spec, mode=mode, today=today) if r.status == "fail"
    ]
