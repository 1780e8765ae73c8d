"""AWS Budgets: budgets by name (DescribeBudgets pages), their notifications per budget."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import BUDGET_METRIC, cost_scope_labels
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    identity,
    tag_filter_labels,
)
from archkit.verify.kinds.reading import (
    Context,
    is_not_found,
)
from archkit.verify.state import ResourceState, SortedSet


class BudgetState(ResourceState):
    kind: ClassVar[str] = "budget"
    TAGGABLE: ClassVar[bool] = False
    amount: float
    currency: str
    period: str
    alerts: SortedSet = Field(description="`<ACTUAL|FORECASTED> <percent>` of each notification.")
    cost_filter: SortedSet = Field(
        description="`Key=Value` tag terms the budget counts, all of which must match (its scope)."
    )
    metrics: SortedSet = Field(description="Cost metrics measured (`UnblendedCost`).")


def _budget(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    b = spec.cost.budgets[res.path.split(".")[-1]]
    return [
        BudgetState(
            **identity(spec, res, STATES[res.type]),
            amount=b.amount,
            currency=b.currency,
            period=b.period,
            alerts=[f"{a.type} {a.threshold_percent:g}" for a in b.alerts],
            cost_filter=cost_scope_labels(spec),
            metrics=[BUDGET_METRIC],
        )
    ]


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::Budgets::Budget")
    if not wanted:
        return
    account = ctx.aws.client("sts").get_caller_identity()["Account"]
    budgets = ctx.aws.client("budgets", "us-east-1")
    listed = {}
    token = None
    while True:  # DescribeBudgets pages with NextToken
        page = budgets.describe_budgets(AccountId=account, **({"NextToken": token} if token else {}))
        listed.update({b["BudgetName"]: b for b in page.get("Budgets", [])})
        token = page.get("NextToken")
        if not token:
            break

    def read(want: ResourceState) -> ResourceState | None:
        b = listed.get(want.physical_id)
        if b is None:
            return None
        try:
            notes = budgets.describe_notifications_for_budget(AccountId=account, BudgetName=b["BudgetName"])
        except Exception as exc:
            if not is_not_found(exc):
                raise
            notes = {}
        limit = b.get("BudgetLimit") or {}
        return BudgetState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=b["BudgetName"],
            amount=float(limit.get("Amount", 0)),
            currency=limit.get("Unit", "USD"),
            period=b.get("TimeUnit", "MONTHLY"),
            alerts=[f"{n['NotificationType']} {n['Threshold']:g}" for n in notes.get("Notifications", [])],
            cost_filter=tag_filter_labels(b.get("FilterExpression"), b.get("CostFilters")),
            metrics=b.get("Metrics", []),
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::Budgets::Budget": BudgetState,
}

KIND = Kind(
    states=STATES,
    desired=_budget,
    collect=collect,
    reads={"budgets": ("DescribeBudgets", "DescribeNotificationsForBudget"), "sts": ("GetCallerIdentity",)},
)
