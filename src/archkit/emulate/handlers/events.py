"""EventBridge rules (schedules and event patterns) and their targets."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_json
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler

_TARGET_PROPS = ("Id", "Arn", "RoleArn", "Input", "InputPath", "RetryPolicy", "DeadLetterConfig")


@handler("AWS::Events::Rule")
def rule(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    unknown = set(p) - {
        "Name",
        "Description",
        "ScheduleExpression",
        "EventPattern",
        "State",
        "Targets",
        "Tags",
    }
    if unknown:
        raise DeployError(f"rule properties not supported: {sorted(unknown)}")
    events = ctx.client("events")
    name = p.get("Name") or ctx.physical_name(64)
    kwargs: dict[str, Any] = {"Name": name, "State": p.get("State", "ENABLED")}
    for prop in ("Description", "ScheduleExpression"):
        if prop in p:
            kwargs[prop] = p[prop]
    if "EventPattern" in p:
        kwargs["EventPattern"] = as_json(p["EventPattern"])
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    arn = events.put_rule(**kwargs)["RuleArn"]
    targets = [{k: t[k] for k in _TARGET_PROPS if k in t} for t in p.get("Targets", [])]
    if targets:
        events.put_targets(Rule=name, Targets=targets)
    return Created(name, {"Arn": arn})
