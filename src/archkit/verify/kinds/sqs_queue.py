"""SQS queues: the spec's queues (`queues.<key>`), their dead-letter queues (`queues.<key>.dead_letter`) and
the tables' stream-failure queues (`tables.<key>.stream_failures`): encryption, timeouts, retention, the
redrive policy and the queue policy, from GetQueueUrl + GetQueueAttributes + ListQueueTags each.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import (
    DEAD_LETTER_SUFFIX,
    DEAD_LETTER_VISIBILITY_TIMEOUT,
    EVENTS_PRINCIPAL,
    S3_PRINCIPAL,
    SNS_PRINCIPAL,
    STREAM_FAILURE_RETENTION_DAYS,
    STREAM_FAILURE_VISIBILITY_TIMEOUT,
    dead_letter_path,
    delivering_services,
)
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import Kind, identity, kms_key_path
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

DAY_SECONDS = 86400


class QueueState(ResourceState):
    """An SQS queue."""

    kind: ClassVar[str] = "queue"
    encryption: Literal["sqs_managed", "kms", "none"] = Field(description="Encryption at rest.")
    kms_key: str | None = Field(description="Spec path of the customer key (`kms` only).")
    visibility_timeout: int = Field(description="Seconds a received message stays hidden.")
    retention_seconds: int = Field(description="How long a message is kept.")
    dead_letter: str | None = Field(description="Spec path of the dead-letter queue (none: no redrive).")
    max_receive_count: int | None = Field(
        description="Receives before a message moves to the dead-letter queue."
    )
    policy: dict[str, ResourcePolicyStatementState] = Field(
        description="The queue policy, `<Effect> <principal>` -> actions and condition keys."
    )


# --- desired ---------------------------------------------------------------------------------------------

TLS_ONLY = "Bool aws:securetransport"
"""The condition of the statement `enforce_ssl` adds: deny every action to everyone over plain HTTP."""

_TLS_ONLY_POLICY = {
    statement_key("Deny", PUBLIC_PRINCIPAL): ResourcePolicyStatementState(
        actions=["sqs:*"], conditions=[TLS_ONLY]
    )
}

_SENDERS: dict[str, ResourcePolicyStatementState] = {
    # what CDK's destinations add to the queue policy of a queue they deliver to
    S3_PRINCIPAL: ResourcePolicyStatementState(
        actions=["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
        conditions=["ArnLike aws:sourcearn"],
    ),
    SNS_PRINCIPAL: ResourcePolicyStatementState(
        actions=["sqs:SendMessage"], conditions=["ArnEquals aws:sourcearn"]
    ),
    EVENTS_PRINCIPAL: ResourcePolicyStatementState(
        actions=["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
        conditions=["ArnEquals aws:sourcearn"],
    ),
}


def _queue(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    section, key = res.path.split(".")[:2]
    if section == "tables":  # a table stream's failure queue
        return [
            QueueState(
                **identity(spec, res, QueueState),
                encryption="sqs_managed",
                kms_key=None,
                visibility_timeout=STREAM_FAILURE_VISIBILITY_TIMEOUT,
                retention_seconds=STREAM_FAILURE_RETENTION_DAYS * DAY_SECONDS,
                dead_letter=None,
                max_receive_count=None,
                policy=dict(_TLS_ONLY_POLICY),
            )
        ]
    queue = spec.queues[key]
    common: dict[str, Any] = {
        **identity(spec, res, QueueState),
        "encryption": queue.encryption,
        "kms_key": kms_key_path(queue.kms_key) if queue.encryption == "kms" else None,
    }
    if res.path.endswith(f".{DEAD_LETTER_SUFFIX}"):
        assert queue.dead_letter is not None
        return [
            QueueState(
                **common,
                visibility_timeout=DEAD_LETTER_VISIBILITY_TIMEOUT,
                retention_seconds=queue.dead_letter.retention_days * DAY_SECONDS,
                dead_letter=None,
                max_receive_count=None,
                policy=dict(_TLS_ONLY_POLICY),
            )
        ]
    dead = queue.dead_letter
    senders = {
        statement_key("Allow", s): _SENDERS[s] for s in sorted(delivering_services(spec, f"queues.{key}"))
    }
    return [
        QueueState(
            **common,
            visibility_timeout=queue.visibility_timeout,
            retention_seconds=queue.retention_days * DAY_SECONDS,
            dead_letter=dead_letter_path(key) if dead is not None else None,
            max_receive_count=dead.max_receive_count if dead is not None else None,
            policy={**_TLS_ONLY_POLICY, **senders},
        )
    ]


# --- observed --------------------------------------------------------------------------------------------

_NOT_FOUND = ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")


def observed_queue(
    want: ResourceState, url: str, attrs: dict[str, str], tags: dict[str, str], unreadable: dict[str, str]
) -> QueueState:
    """The state of a queue from its attributes (`GetQueueAttributes All`)."""
    key = attrs.get("KmsMasterKeyId")
    if key:
        encryption: Literal["sqs_managed", "kms", "none"] = "kms"
    elif str(attrs.get("SqsManagedSseEnabled", "false")).lower() == "true":
        encryption = "sqs_managed"
    else:
        encryption = "none"
    redrive = json.loads(attrs["RedrivePolicy"]) if attrs.get("RedrivePolicy") else {}
    arn = attrs.get("QueueArn")
    return QueueState(
        path=want.path,
        resource_type=want.resource_type,
        physical_id=url.rsplit("/", 1)[-1],
        arn=arn,
        ids=[i for i in (url, arn) if i],
        unreadable=unreadable,
        tags=tags,
        encryption=encryption,
        kms_key=key or None,
        visibility_timeout=int(attrs.get("VisibilityTimeout", 30)),
        retention_seconds=int(attrs.get("MessageRetentionPeriod", 345600)),
        dead_letter=redrive.get("deadLetterTargetArn"),
        max_receive_count=int(redrive["maxReceiveCount"]) if "maxReceiveCount" in redrive else None,
        policy=resource_policy_statements(attrs.get("Policy"), arn_account(arn)),
    )


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::SQS::Queue")
    if not wanted:
        return
    sqs = ctx.aws.client("sqs")

    def read(want: ResourceState) -> ResourceState | None:
        try:
            url = sqs.get_queue_url(QueueName=want.physical_id)["QueueUrl"]
        except Exception as exc:
            if is_not_found(exc, *_NOT_FOUND):
                return None
            raise
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes", {})
        unreadable = Unreadable()
        tags = unreadable.read("tags", lambda: sqs.list_queue_tags(QueueUrl=url).get("Tags", {})) or {}
        return observed_queue(want, url, attrs, tags, unreadable.reasons)

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {"AWS::SQS::Queue": QueueState}

KIND = Kind(
    states=STATES,
    desired=_queue,
    collect=collect,
    reads={"sqs": ("GetQueueUrl", "GetQueueAttributes", "ListQueueTags")},
    security=frozenset({"encryption", "kms_key", "dead_letter", "max_receive_count", "policy"}),
)
