"""CloudWatch Logs."""

from __future__ import annotations

from typing import Any

from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::Logs::LogGroup")
def log_group(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    logs = ctx.client("logs")
    name = p.get("LogGroupName") or ctx.physical_name(512)
    kwargs: dict[str, Any] = {"logGroupName": name}
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    if "KmsKeyId" in p:
        kwargs["kmsKeyId"] = p["KmsKeyId"]
    logs.create_log_group(**kwargs)
    if "RetentionInDays" in p:
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(p["RetentionInDays"]))
    return Created(name, {"Arn": ctx.arn("logs", f"log-group:{name}:*")})
