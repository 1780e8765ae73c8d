"""SQS queues and queue policies."""

from __future__ import annotations

import json
from typing import Any

from archkit.emulate.handlers.common import as_json
from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::SQS::Queue")
def queue(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    sqs = ctx.client("sqs")
    name = p.get("QueueName") or ctx.physical_name(80)
    attrs = {
        k: (json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else str(v))
        for k, v in p.items()
        if k not in ("QueueName", "Tags")
    }
    kwargs: dict[str, Any] = {"QueueName": name, "Attributes": attrs}
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    url = sqs.create_queue(**kwargs)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return Created(url, {"Arn": arn, "QueueName": name, "QueueUrl": url})


@handler("AWS::SQS::QueuePolicy")
def queue_policy(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    for url in p["Queues"]:
        ctx.client("sqs").set_queue_attributes(
            QueueUrl=url, Attributes={"Policy": as_json(p["PolicyDocument"])}
        )
    return Created(ctx.physical_name(128))
