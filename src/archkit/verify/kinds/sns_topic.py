"""SNS topics (`topics.<key>`): encryption and subscriptions, from GetTopicAttributes,
ListSubscriptionsByTopic and ListTagsForResource.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import AWS_MANAGED_SNS_KEY
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import Kind, identity, kms_key_path
from archkit.verify.kinds.reading import Context, is_not_found, paginate, tag_dict
from archkit.verify.state import ResourceState

# --- state -----------------------------------------------------------------------------------------------


class TopicState(ResourceState):
    """An SNS topic."""

    kind: ClassVar[str] = "topic"
    encryption: Literal["aws_managed", "kms", "none"] = Field(description="Encryption at rest.")
    kms_key: str | None = Field(description="`alias/aws/sns`, or the spec path of the customer key.")
    subscriptions: dict[str, str] = Field(
        description="Endpoint (an email address, or the spec path of a queue or function) -> protocol."
    )


# --- desired ---------------------------------------------------------------------------------------------


def _topic(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    topic = spec.topics[res.path.split(".", 1)[1]]
    return [
        TopicState(
            **identity(spec, res, TopicState),
            encryption=topic.encryption,
            kms_key=kms_key_path(topic.kms_key) if topic.encryption == "kms" else AWS_MANAGED_SNS_KEY,
            subscriptions={
                endpoint: protocol for protocol, endpoint in (s.target() for s in topic.subscriptions)
            },
        )
    ]


# --- observed --------------------------------------------------------------------------------------------


def _encryption(key: str | None) -> Literal["aws_managed", "kms", "none"]:
    if not key:
        return "none"
    return "aws_managed" if key in (AWS_MANAGED_SNS_KEY, "arn:aws:kms:alias/aws/sns") else "kms"


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::SNS::Topic")
    if not wanted:
        return
    sns = ctx.aws.client("sns")
    # SNS has no lookup by name: one listing, by the name at the end of each ARN.
    arns = {t["TopicArn"].rsplit(":", 1)[-1]: t["TopicArn"] for t in paginate(sns, "list_topics", "Topics")}

    def read(want: ResourceState) -> ResourceState | None:
        arn = arns.get(want.physical_id)
        if arn is None:
            return None
        try:
            attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        except Exception as exc:
            if is_not_found(exc, "NotFound"):
                return None
            raise
        subs = paginate(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn)
        tags = tag_dict(sns.list_tags_for_resource(ResourceArn=arn).get("Tags"))
        key = attrs.get("KmsMasterKeyId") or None
        return TopicState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=arn.rsplit(":", 1)[-1],
            arn=arn,
            ids=[arn],
            tags=tags,
            encryption=_encryption(key),
            kms_key=key,
            subscriptions={s["Endpoint"]: s["Protocol"] for s in subs},
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {"AWS::SNS::Topic": TopicState}

KIND = Kind(
    states=STATES,
    desired=_topic,
    collect=collect,
    reads={"sns": ("ListTopics", "GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource")},
    security=frozenset({"encryption", "kms_key", "subscriptions"}),
)
