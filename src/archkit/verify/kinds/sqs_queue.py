"""SQS queues (`queues.<key>`) and their dead-letter queues (`queues.<key>.dead_letter`): encryption,
timeouts, retention and the redrive policy, from GetQueueUrl + GetQueueAttributes + ListQueueTags each.
"""

from __future__ import annotations

import json
from typing import ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import DEAD_LETTER_SUFFIX, DEAD_LETTER_VISIBILITY_TIMEOUT, dead_letter_path
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import Kind, identity, kms_key_path
from archkit.verify.kinds.reading import Context, is_not_found
from archkit.verify.state import ResourceState

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


# --- desired ---------------------------------------------------------------------------------------------


def _queue(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    key = res.path.split(".")[1]
    queue = spec.queues[key]
    common = {
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
            )
        ]
    dead = queue.dead_letter
    return [
        QueueState(
            **common,
            visibility_timeout=queue.visibility_timeout,
            retention_seconds=queue.retention_days * DAY_SECONDS,
            dead_letter=dead_letter_path(key) if dead is not None else None,
            max_receive_count=dead.max_receive_count if dead is not None else None,
        )
    ]


# --- observed --------------------------------------------------------------------------------------------

_NOT_FOUND = ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")


def observed_queue(want: ResourceState, url: str, attrs: dict[str, str], tags: dict[str, str]) -> QueueState:
    """The state of a queue from its attributes (`GetQueueAttributes All`)."""
    key = attrs.get("KmsMasterKeyId")
    if key:
        encryption: Literal["sqs_managed", "kms", "none"] = "kms"
    elif attrs.get("SqsManagedSseEnabled", "false").lower() == "true":
        encryption = "sqs_managed"
    else:
        encryption = "none"
    redrive = json.loads(attrs["RedrivePolicy"]) if attrs.get("RedrivePolicy") else {}
    return QueueState(
        path=want.path,
        resource_type=want.resource_type,
        physical_id=url.rsplit("/", 1)[-1],
        arn=attrs.get("QueueArn"),
        ids=[url, attrs.get("QueueArn", "")],
        tags=tags,
        encryption=encryption,
        kms_key=key or None,
        visibility_timeout=int(attrs.get("VisibilityTimeout", 30)),
        retention_seconds=int(attrs.get("MessageRetentionPeriod", 345600)),
        dead_letter=redrive.get("deadLetterTargetArn"),
        max_receive_count=int(redrive["maxReceiveCount"]) if "maxReceiveCount" in redrive else None,
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
        tags = sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
        return observed_queue(want, url, attrs, tags)

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {"AWS::SQS::Queue": QueueState}

KIND = Kind(
    states=STATES,
    desired=_queue,
    collect=collect,
    reads={"sqs": ("GetQueueUrl", "GetQueueAttributes", "ListQueueTags")},
    security=frozenset({"encryption", "kms_key", "dead_letter", "max_receive_count"}),
)
