"""The Cost Explorer anomaly monitor (by name) and its subscription."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import cost_scope_labels
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    identity,
    tag_filter_labels,
)
from archkit.verify.kinds.reading import (
    Context,
)
from archkit.verify.state import ResourceState, SortedSet


class AnomalyMonitorState(ResourceState):
    kind: ClassVar[str] = "anomaly_monitor"
    TAGGABLE: ClassVar[bool] = False
    monitor_type: str
    cost_filter: SortedSet = Field(
        description="`Key=Value` tag terms of the monitor specification, all of which must match."
    )
    frequency: str
    threshold_amount: float
    subscribers: int


def _anomaly_monitor(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    ad = spec.cost.anomaly_detection
    return [
        AnomalyMonitorState(
            **identity(spec, res, STATES[res.type]),
            monitor_type="CUSTOM",  # scoped to this system's cost tags, not the whole account
            cost_filter=cost_scope_labels(spec),
            frequency=ad.frequency,
            threshold_amount=ad.threshold_amount,
            subscribers=len(ad.emails),
        )
    ]


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


def _specification(monitor: dict[str, Any]) -> dict[str, Any]:
    spec = monitor.get("MonitorSpecification") or {}
    return json.loads(spec) if isinstance(spec, str) else dict(spec)


def collect(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::CE::AnomalyMonitor")), None)
    if want is None:
        return
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
            cost_filter=tag_filter_labels(_specification(monitor)),
            frequency=sub.get("Frequency", ""),
            threshold_amount=subscription_threshold(sub),
            subscribers=len(sub.get("Subscribers", [])),
        )
    )


STATES: dict[str, type[ResourceState]] = {
    "AWS::CE::AnomalyMonitor": AnomalyMonitorState,
}

KIND = Kind(
    states=STATES,
    desired=_anomaly_monitor,
    collect=collect,
    reads={"ce": ("GetAnomalyMonitors", "GetAnomalySubscriptions")},
)
