"""SNS topics, their policies and subscriptions."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_json
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler

_TOPIC_ATTRIBUTES = ("DisplayName", "KmsMasterKeyId")


@handler("AWS::SNS::Topic")
def topic(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    unknown = set(p) - {*_TOPIC_ATTRIBUTES, "TopicName", "Tags"}
    if unknown:
        raise DeployError(f"topic properties not supported: {sorted(unknown)}")
    kwargs: dict[str, Any] = {
        "Name": p.get("TopicName") or ctx.physical_name(256),
        "Attributes": {k: str(p[k]) for k in _TOPIC_ATTRIBUTES if k in p},
    }
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    arn = ctx.client("sns").create_topic(**kwargs)["TopicArn"]
    return Created(arn, {"TopicArn": arn, "TopicName": kwargs["Name"]})


@handler("AWS::SNS::TopicPolicy")
def topic_policy(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    for arn in p["Topics"]:
        ctx.client("sns").set_topic_attributes(
            TopicArn=arn, AttributeName="Policy", AttributeValue=as_json(p["PolicyDocument"])
        )
    return Created(ctx.physical_name(128))


@handler("AWS::SNS::Subscription")
def subscription(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    attributes = {
        k: as_json(p[k])
        if isinstance(p[k], dict)
        else str(p[k]).lower()
        if isinstance(p[k], bool)
        else str(p[k])
        for k in ("RawMessageDelivery", "FilterPolicy", "RedrivePolicy")
        if k in p
    }
    arn = ctx.client("sns", p.get("Region")).subscribe(
        TopicArn=p["TopicArn"],
        Protocol=p["Protocol"],
        Endpoint=p["Endpoint"],
        Attributes=attributes,
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return Created(arn)
