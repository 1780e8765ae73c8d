"""Cost: budgets (by name) and the cost anomaly monitor (by name)."""

from __future__ import annotations

import json
from typing import Any

from archkit.verify.collect.base import Context, Unsupported, is_not_found
from archkit.verify.state import AnomalyMonitorState, BudgetState, ResourceState


def collect_budgets(ctx: Context) -> None:
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
        )

    ctx.each_desired(wanted, read)


def subscription_threshold(sub: dict[str, Any]) -> float:
    """The absolute impact threshold of an anomaly subscription: the deprecated `Threshold`, else the
    amount of its `ThresholdExpression` (ANOMALY_TOTAL_IMPACT_ABSOLUTE dimension), else 0."""
    if sub.get("Threshold"):
        return float(sub["Threshold"])
    expression = sub.get("ThresholdExpression") or {}
    if isinstance(expression, str):
        expression = json.loads(expression or "{}")
    parts = [expression, *expression.get("And", []), *expression.get("Or", [])]
    for part in parts:
        dim = part.get("Dimensions") or {}
        if dim.get("Key") == "ANOMALY_TOTAL_IMPACT_ABSOLUTE" and dim.get("Values"):
            return float(dim["Values"][0])
    return 0.0


def collect_anomaly_monitor(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::CE::AnomalyMonitor")), None)
    if want is None:
        return
    if ctx.aws.emulator == "moto":
        raise Unsupported("GetAnomalyMonitors: moto does not implement Cost Explorer anomaly monitors")
    ce = ctx.aws.client("ce", "us-east-1")
    monitors = ce.get_anomaly_monitors().get("AnomalyMonitors", [])
    monitor = next((m for m in monitors if m.get("MonitorName") == want.physical_id), None)
    if monitor is None:
        return
    subs = [
        s
        for s in ce.get_anomaly_subscriptions(MonitorArn=monitor["MonitorArn"]).get(
            "AnomalySubscriptions", []
        )
        if monitor["MonitorArn"] in s.get("MonitorArnList", [])
    ]
    sub = subs[0] if subs else {}
    ctx.add(
        AnomalyMonitorState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=monitor["MonitorArn"],
            arn=monitor["MonitorArn"],
            monitor_type=monitor.get("MonitorType", ""),
            frequency=sub.get("Frequency", ""),
            threshold_amount=subscription_threshold(sub),
            subscribers=len(sub.get("Subscribers", [])),
        )
    )
