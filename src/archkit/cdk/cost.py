"""Cost domain: AWS Budgets budgets with e-mail notifications and a Cost Anomaly Detection monitor
with its subscription. Cost-allocation tags are applied app-wide (see :mod:`archkit.cdk.app`)."""

from __future__ import annotations

import json

from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_ce as ce
from constructs import Construct

from archkit.cdk.context import BuildContext
from archkit.spec import ArchSpec
from archkit.spec.conventions import BUDGET_METRIC, cost_scope_expression
from archkit.spec.naming import resource_tags


class CostConstruct(Construct):
    """Budgets of ``spec.cost.budgets`` and the anomaly monitor of ``spec.cost.anomaly_detection``."""

    def __init__(self, scope: Construct, construct_id: str, *, ctx: BuildContext) -> None:
        super().__init__(scope, construct_id)
        spec = ctx.spec
        for key, budget in spec.cost.budgets.items():
            made = budgets.CfnBudget(
                self,
                f"Budget-{key}",
                budget=budgets.CfnBudget.BudgetDataProperty(
                    budget_name=ctx.name(key),
                    budget_type="COST",
                    time_unit=budget.period,
                    budget_limit=budgets.CfnBudget.SpendProperty(amount=budget.amount, unit=budget.currency),
                    # Only this system's spend in this environment, through its cost-allocation tags.
                    filter_expression=_budget_filter(spec),
                    metrics=[BUDGET_METRIC],
                ),
                notifications_with_subscribers=[
                    budgets.CfnBudget.NotificationWithSubscribersProperty(
                        notification=budgets.CfnBudget.NotificationProperty(
                            comparison_operator="GREATER_THAN",
                            notification_type=alert.type,
                            threshold=alert.threshold_percent,
                            threshold_type="PERCENTAGE",
                        ),
                        subscribers=[
                            budgets.CfnBudget.SubscriberProperty(subscription_type="EMAIL", address=email)
                            for email in budget.emails
                        ],
                    )
                    for alert in budget.alerts
                ]
                if budget.emails
                else None,
                resource_tags=[
                    budgets.CfnBudget.ResourceTagProperty(key=k, value=v)
                    for k, v in sorted(resource_tags(spec, f"cost.budgets.{key}").items())
                ],
            )
            ctx.registry.setdefault(f"cost.budgets.{key}", []).append(made)

        anomaly = spec.cost.anomaly_detection
        if anomaly.enabled:
            tags = resource_tags(spec, "cost.anomaly_detection")
            monitor = ce.CfnAnomalyMonitor(
                self,
                "AnomalyMonitor",
                monitor_name=ctx.name("anomaly-monitor"),
                monitor_type="CUSTOM",
                # Watch this system's spend in this environment: its Project and Environment cost tags.
                monitor_specification=json.dumps(cost_scope_expression(spec), sort_keys=True),
                resource_tags=[
                    ce.CfnAnomalyMonitor.ResourceTagProperty(key=k, value=v) for k, v in sorted(tags.items())
                ],
            )
            subscription = ce.CfnAnomalySubscription(
                self,
                "AnomalySubscription",
                subscription_name=ctx.name("anomaly-subscription"),
                frequency=anomaly.frequency,
                monitor_arn_list=[monitor.attr_monitor_arn],
                subscribers=[
                    ce.CfnAnomalySubscription.SubscriberProperty(type="EMAIL", address=e)
                    for e in anomaly.emails
                ],
                threshold_expression=json.dumps(
                    {
                        "Dimensions": {
                            "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                            "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                            "Values": [f"{anomaly.threshold_amount:g}"],
                        }
                    },
                    sort_keys=True,
                ),
                resource_tags=[
                    ce.CfnAnomalySubscription.ResourceTagProperty(key=k, value=v)
                    for k, v in sorted(tags.items())
                ],
            )
            for part in (monitor, subscription):
                ctx.registry.setdefault("cost.anomaly_detection", []).append(part)


def _budget_filter(spec: ArchSpec) -> budgets.CfnBudget.ExpressionProperty:
    """:func:`cost_scope_expression` as CDK's typed budget expression."""
    terms = cost_scope_expression(spec)["And"]
    return budgets.CfnBudget.ExpressionProperty(
        and_=[
            budgets.CfnBudget.ExpressionProperty(
                tags=budgets.CfnBudget.TagValuesProperty(
                    key=t["Tags"]["Key"], values=t["Tags"]["Values"], match_options=t["Tags"]["MatchOptions"]
                )
            )
            for t in terms
        ]
    )
