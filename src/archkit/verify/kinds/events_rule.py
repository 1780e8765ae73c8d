"""EventBridge rules on the default bus: schedules (`schedules.<key>`) and event-pattern rules
(`event_rules.<key>`), with their state and targets, from DescribeRule, ListTargetsByRule and
ListTagsForResource.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import Kind, identity
from archkit.verify.kinds.reading import Context, is_not_found, paginate, tag_dict
from archkit.verify.state import ResourceState, SortedSet

# --- state -----------------------------------------------------------------------------------------------


class RuleState(ResourceState):
    """An EventBridge rule: a schedule or an event pattern, routed to its targets."""

    kind: ClassVar[str] = "event_rule"
    description: str
    schedule: str | None = Field(description="`cron(...)` or `rate(...)` (schedules).")
    pattern: str | None = Field(description="The event pattern as canonical JSON (sorted keys; rules).")
    enabled: bool
    targets: SortedSet = Field(description="Spec paths of the functions and queues the rule sends to.")


def canonical_pattern(pattern: Any) -> str:
    """An event pattern as JSON with sorted keys, the same on both sides."""
    return json.dumps(json.loads(pattern) if isinstance(pattern, str) else pattern, sort_keys=True)


# --- desired ---------------------------------------------------------------------------------------------


def _rule(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    group, key = res.path.split(".", 1)
    entry = getattr(spec, group)[key]
    return [
        RuleState(
            **identity(spec, res, RuleState),
            description=entry.description,
            schedule=entry.expression if group == "schedules" else None,
            pattern=canonical_pattern(entry.pattern) if group == "event_rules" else None,
            enabled=entry.enabled,
            targets=[entry.target_path()],
        )
    ]


# --- observed --------------------------------------------------------------------------------------------


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::Events::Rule")
    if not wanted:
        return
    events = ctx.aws.client("events")

    def read(want: ResourceState) -> ResourceState | None:
        try:
            rule = events.describe_rule(Name=want.physical_id)
        except Exception as exc:
            if is_not_found(exc, "ResourceNotFoundException"):
                return None
            raise
        targets = paginate(events, "list_targets_by_rule", "Targets", Rule=want.physical_id)
        tags = tag_dict(events.list_tags_for_resource(ResourceARN=rule["Arn"]).get("Tags"))
        return RuleState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=rule["Name"],
            arn=rule["Arn"],
            ids=[rule["Arn"]],
            tags=tags,
            description=rule.get("Description", ""),
            schedule=rule.get("ScheduleExpression"),
            pattern=canonical_pattern(rule["EventPattern"]) if rule.get("EventPattern") else None,
            enabled=rule.get("State") == "ENABLED",
            targets=[t["Arn"] for t in targets],
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {"AWS::Events::Rule": RuleState}

KIND = Kind(
    states=STATES,
    desired=_rule,
    collect=collect,
    reads={"events": ("DescribeRule", "ListTargetsByRule", "ListTagsForResource")},
    security=frozenset({"targets"}),
)
