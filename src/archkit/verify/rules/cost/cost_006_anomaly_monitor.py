"""ARCH-COST-006: a cost anomaly monitor exists."""

from __future__ import annotations

from archkit.verify.kinds.ce_anomaly_monitor import AnomalyMonitorState
from archkit.verify.rules.base import SYSTEM, Outcome, RuleContext, SystemScope, failed, passed, rule


@rule(
    id="ARCH-COST-006",
    title="A cost anomaly monitor with subscribers exists",
    severity="medium",
    layer="cost",
    enforces="Monitoring: Anomaly Detect",
    applies_to=SYSTEM,
    resource_type="AWS::CE::AnomalyMonitor",
    remediation="Set `cost.anomaly_detection.enabled: true` with `emails` to alert.",
)
def check(_: SystemScope, ctx: RuleContext) -> list[Outcome]:
    """Cost Anomaly Detection flags unusual spend (a runaway function, a NAT-heavy workload) within a day."""
    monitors = ctx.of_type(AnomalyMonitorState)
    if not monitors:
        return [
            failed(
                "no cost anomaly monitor exists",
                resource="cost.anomaly_detection",
                expected="an anomaly monitor",
                actual=None,
            )
        ]
    outcomes: list[Outcome] = []
    for monitor in monitors:
        if monitor.subscribers > 0:
            outcomes.append(
                passed(f"{monitor.subscribers} subscribers", resource=monitor.path, attribute="subscribers")
            )
        else:
            outcomes.append(
                failed(
                    "nobody is alerted",
                    resource=monitor.path,
                    attribute="subscribers",
                    expected=">= 1",
                    actual=0,
                )
            )
    return outcomes
