"""ARCH-COST-004: every taggable resource carries the cost-allocation tags."""

from __future__ import annotations

from archkit.spec.naming import cost_tags
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.state import ResourceState

REQUIRED_KEYS = ("Project", "Environment", "Owner")


@rule(
    id="ARCH-COST-004",
    title="Taggable resources carry the cost-allocation tags Project, Environment and Owner",
    severity="low",
    layer="cost",
    enforces="Cost Allocation Tags: Project={project}, Environment={env}, Owner={team}",
    applies_to=ResourceState,
    resource_type="*",
    remediation=(
        "Deploy through archkit (every resource gets `archkit.spec.naming.cost_tags`), or add the "
        "missing tags; list extra keys under `cost.allocation_tags`."
    ),
    counterparts=Counterparts(config=("required-tags",)),
)
def check(state: ResourceState, ctx: RuleContext) -> Outcome:
    """`Project`, `Environment` and `Owner` must be present with the spec's values, plus any other key in
    `cost.allocation_tags` (present, any value). Kinds AWS cannot tag (layers, authorizers, budgets,
    anomaly monitors) are not applicable."""
    if not type(state).TAGGABLE:
        return not_applicable(f"{state.resource_type} cannot be tagged")
    if "tags" in state.unreadable:
        return not_applicable(f"tags could not be read: {state.unreadable['tags']}")
    expected = cost_tags(ctx.spec)
    wrong = {key: state.tags.get(key) for key in REQUIRED_KEYS if state.tags.get(key) != expected[key]}
    extra = sorted(set(ctx.spec.cost.allocation_tags) - set(REQUIRED_KEYS) - set(state.tags))
    wrong.update(dict.fromkeys(extra))
    if wrong:
        return failed(
            f"cost-allocation tags missing or wrong: {', '.join(sorted(wrong))}",
            attribute="tags",
            expected={key: expected.get(key, "<any>") for key in sorted(wrong)},
            actual=wrong,
        )
    return passed("cost-allocation tags present", attribute="tags")
