"""ARCH-COST-005: a budget with alerts exists."""

from __future__ import annotations

from archkit.verify.kinds.budgets_budget import BudgetState
from archkit.verify.rules.base import SYSTEM, Outcome, RuleContext, SystemScope, failed, passed, rule


@rule(
    id="ARCH-COST-005",
    title="A cost budget with alerts exists",
    severity="medium",
    layer="cost",
    enforces="Monitoring: Budget Alerts",
    applies_to=SYSTEM,
    resource_type="AWS::Budgets::Budget",
    remediation=(
        "Add a budget under `cost.budgets` with `alerts` (e.g. 80% actual, 100% forecasted) and `emails`."
    ),
)
def check(_: SystemScope, ctx: RuleContext) -> list[Outcome]:
    """At least one budget exists, and every budget has at least one alert."""
    budgets = ctx.of_type(BudgetState)
    if not budgets:
        return [
            failed("no budget exists", resource="cost.budgets", expected="a budget with alerts", actual=None)
        ]
    outcomes: list[Outcome] = []
    for budget in budgets:
        if budget.alerts:
            outcomes.append(
                passed(f"alerts: {', '.join(budget.alerts)}", resource=budget.path, attribute="alerts")
            )
        else:
            outcomes.append(
                failed(
                    "the budget has no alert",
                    resource=budget.path,
                    attribute="alerts",
                    expected="alerts",
                    actual=[],
                )
            )
    return outcomes
