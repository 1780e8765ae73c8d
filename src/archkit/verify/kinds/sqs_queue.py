"""SQS queues (the stream-failure queues of the tables): attributes with the queue policy, and tags."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import STREAM_FAILURE_RETENTION_DAYS
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import Kind, identity
from archkit.verify.kinds.reading import Context, Unreadable, is_not_found
from archkit.verify.state import (
    PUBLIC_PRINCIPAL,
    ResourcePolicyStatementState,
    ResourceState,
    arn_account,
    resource_policy_statements,
    statement_key,
)

# --- state -----------------------------------------------------------------------------------------------


class QueueState(ResourceState):
    kind: ClassVar[str] = "queue"
    encryption: Literal["sqs_managed", "kms", "none"]
    retention_days: int = Field(description="How long a message is kept.")
    policy: dict[str, ResourcePolicyStatementState] = Field(
        description="The queue policy, `<Effect> <principal>` -> actions and condition keys."
    )


# --- desired ---------------------------------------------------------------------------------------------

TLS_ONLY = "Bool aws:securetransport"
"""The condition of the statement `enforce_ssl` adds: deny every action to everyone over plain HTTP."""


def _queue(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    return [
        QueueState(
            **identity(spec, res, QueueState),
            encryption="sqs_managed",
            retention_days=STREAM_FAILURE_RETENTION_DAYS,
            policy={
                statement_key("Deny", PUBLIC_PRINCIPAL): ResourcePolicyStatementState(
                    actions=["sqs:*"], conditions=[TLS_ONLY]
                )
            },
        )
    ]


# --- observed --------------------------------------------------------------------------------------------

ATTRIBUTES = ("QueueArn", "MessageRetentionPeriod", "SqsManagedSseEnabled", "KmsMasterKeyId", "Policy")


def _encryption(attrs: dict[str, str]) -> Literal["sqs_managed", "kms", "none"]:
    if attrs.get("KmsMasterKeyId"):
        return "kms"
    return "sqs_managed" if str(attrs.get("SqsManagedSseEnabled", "")).lower() == "true" else "none"


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::SQS::Queue")
    if not wanted:
        return
    sqs = ctx.aws.client("sqs")

    def read(want: ResourceState) -> ResourceState | None:
        try:
            url = sqs.get_queue_url(QueueName=want.physical_id)["QueueUrl"]
        except Exception as exc:
            if is_not_found(exc, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                return None
            raise
        attrs: dict[str, Any] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(ATTRIBUTES))[
            "Attributes"
        ]
        unreadable = Unreadable()
        tags = unreadable.read("tags", lambda: sqs.list_queue_tags(QueueUrl=url).get("Tags", {})) or {}
        arn = attrs.get("QueueArn")
        return QueueState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=want.physical_id,
            arn=arn,
            ids=[i for i in (arn, url) if i],
            unreadable=unreadable.reasons,
            tags=tags,
            encryption=_encryption(attrs),
            retention_days=int(attrs.get("MessageRetentionPeriod", 345600)) // 86400,
            policy=resource_policy_statements(attrs.get("Policy"), arn_account(arn)),
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::SQS::Queue": QueueState,
}

KIND = Kind(
    states=STATES,
    desired=_queue,
    collect=collect,
    reads={"sqs": ("GetQueueAttributes", "GetQueueUrl", "ListQueueTags")},
    security=frozenset({"encryption", "policy"}),
)
