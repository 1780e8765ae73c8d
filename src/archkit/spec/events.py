"""Events and asynchronous work: SQS queues, SNS topics, EventBridge schedules and rules, S3 event
notifications, and the event sources and asynchronous invocation of functions."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from archkit.spec.base import SpecModel

_SCHEDULE = re.compile(r"^(cron\(\S+( \S+){5}\)|rate\((1 (minute|hour|day)|\d+ (minutes|hours|days))\))$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_schedule(value: str) -> str:
    if not _SCHEDULE.match(value):
        raise ValueError(
            f"'{value}' is not a schedule expression: cron(minutes hours day-of-month month day-of-week "
            "year), six fields, or rate(N minutes|hours|days) (rate(1 minute|hour|day) for one)"
        )
    return value


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an email address")
    return value


ScheduleExpression = Annotated[
    str, AfterValidator(_check_schedule), Field(examples=["cron(0 2 * * ? *)", "rate(15 minutes)"])
]
EmailAddress = Annotated[str, AfterValidator(_check_email)]

QueueEncryption = Literal["sqs_managed", "kms"]
TopicEncryption = Literal["aws_managed", "kms"]


class DeadLetterSpec(SpecModel):
    """The dead-letter queue of a queue: where a message goes after `max_receive_count` failed receives."""

    max_receive_count: int = Field(
        default=5, ge=1, le=1000, description="Receives before a message moves to the dead-letter queue."
    )
    retention_days: int = Field(
        default=14, ge=1, le=14, description="How long the dead-letter queue keeps a message (days)."
    )


class QueueSpec(SpecModel):
    """An SQS standard queue, encrypted, with a dead-letter queue (`queues.<key>.dead_letter`)."""

    description: str = Field(default="", description="What the queue carries.")
    encryption: QueueEncryption = Field(
        default="sqs_managed",
        description="Encryption at rest: SQS-managed keys (SSE-SQS) or a customer key (`kms`, `kms_key`).",
    )
    kms_key: str | None = Field(default=None, description="Key of `security.kms_keys` (`kms` only).")
    visibility_timeout: int = Field(
        default=60,
        ge=0,
        le=43200,
        description=(
            "Seconds a received message stays hidden; at least the consuming function's timeout (AWS "
            "recommends six times it)."
        ),
    )
    retention_days: int = Field(default=4, ge=1, le=14, description="How long a message is kept (days).")
    dead_letter: DeadLetterSpec | None = Field(
        default_factory=DeadLetterSpec,
        description="Dead-letter queue (`null`: none; compliance asks for one).",
    )


class SubscriptionSpec(SpecModel):
    """A subscription of a topic: an email address, a queue or a function. Exactly one of them."""

    email: EmailAddress | None = Field(default=None, description="Email address (confirmed by its owner).")
    queue: str | None = Field(default=None, description="Queue (key of `queues`) receiving the messages.")
    function: str | None = Field(
        default=None, description="Function (key of `functions`) invoked per message."
    )

    def target(self) -> tuple[str, str]:
        """`(protocol, endpoint)`: `("email", address)`, `("sqs", "queues.<k>")` or `("lambda", ...)`."""
        if self.email is not None:
            return "email", self.email
        if self.queue is not None:
            return "sqs", f"queues.{self.queue}"
        return "lambda", f"functions.{self.function}"


class TopicSpec(SpecModel):
    """An SNS standard topic, encrypted, and its subscriptions."""

    description: str = Field(default="", description="What the topic announces.")
    encryption: TopicEncryption = Field(
        default="aws_managed",
        description="Encryption at rest: the AWS-managed key `alias/aws/sns`, or a customer key (`kms`).",
    )
    kms_key: str | None = Field(default=None, description="Key of `security.kms_keys` (`kms` only).")
    subscriptions: list[SubscriptionSpec] = Field(default=[], description="Who receives the messages.")


class TargetSpec(SpecModel):
    """Where an event goes: a function or a queue (exactly one)."""

    function: str | None = Field(default=None, description="Function (key of `functions`) invoked.")
    queue: str | None = Field(default=None, description="Queue (key of `queues`) receiving the event.")

    def target_path(self) -> str:
        """Spec path of the target: `functions.<k>` or `queues.<k>`."""
        return f"functions.{self.function}" if self.function is not None else f"queues.{self.queue}"


class ScheduleSpec(TargetSpec):
    """An EventBridge schedule: a cron or rate expression invoking a function (or feeding a queue)."""

    description: str = Field(default="", description="What the scheduled job does.")
    expression: ScheduleExpression = Field(
        description="`cron(min hour day-of-month month day-of-week year)` or `rate(N unit)`, in UTC.",
    )
    enabled: bool = Field(default=True, description="Whether the schedule fires.")


class EventRuleSpec(TargetSpec):
    """An EventBridge rule on the default bus: an event pattern routed to a function or a queue."""

    description: str = Field(default="", description="What the rule reacts to.")
    pattern: dict[str, Any] = Field(
        description="EventBridge event pattern, e.g. `{source: [aws.s3], detail-type: [Object Created]}`.",
        min_length=1,
    )
    enabled: bool = Field(default=True, description="Whether the rule routes events.")


S3EventName = Literal["object_created", "object_removed", "object_restored", "object_tagging"]

S3_EVENTS: dict[str, str] = {
    "object_created": "s3:ObjectCreated:*",
    "object_removed": "s3:ObjectRemoved:*",
    "object_restored": "s3:ObjectRestore:*",
    "object_tagging": "s3:ObjectTagging:*",
}
"""Spec event name -> the S3 event type a notification subscribes to."""


class NotificationSpec(SpecModel):
    """An S3 event notification: object events under a prefix/suffix sent to a function, queue or topic."""

    events: list[S3EventName] = Field(
        default=["object_created"], min_length=1, description="Which object events are sent."
    )
    prefix: str = Field(default="", description="Only keys starting with this (e.g. `uploads/`).")
    suffix: str = Field(default="", description="Only keys ending with this (e.g. `.csv`).")
    function: str | None = Field(default=None, description="Function (key of `functions`) invoked.")
    queue: str | None = Field(default=None, description="Queue (key of `queues`) receiving the events.")
    topic: str | None = Field(default=None, description="Topic (key of `topics`) receiving the events.")

    def target_path(self) -> str:
        """Spec path of the destination: `functions.<k>`, `queues.<k>` or `topics.<k>`."""
        if self.function is not None:
            return f"functions.{self.function}"
        if self.queue is not None:
            return f"queues.{self.queue}"
        return f"topics.{self.topic}"


class QueueTriggerSpec(SpecModel):
    """An event source of a function: a queue polled by Lambda. `uploads` alone is shorthand."""

    __shorthand__: ClassVar[str] = "a queue key"

    queue: str = Field(description="Queue (key of `queues`) the function consumes.")
    batch_size: int = Field(default=10, ge=1, le=10000, description="Messages per invocation.")
    batching_window: int = Field(
        default=0, ge=0, le=300, description="Seconds to gather a batch before invoking (0: none)."
    )
    report_failures: bool = Field(
        default=True,
        description=(
            "Partial batch failures: the function returns the failed message ids (`batchItemFailures`) and "
            "only those are retried."
        ),
    )
    enabled: bool = Field(default=True, description="Whether Lambda polls the queue.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"queue": data} if isinstance(data, str) else data


class FailureDestinationSpec(SpecModel):
    """Where a failed asynchronous invocation is sent: a queue or a topic (exactly one)."""

    queue: str | None = Field(default=None, description="Queue (key of `queues`).")
    topic: str | None = Field(default=None, description="Topic (key of `topics`).")

    def target_path(self) -> str:
        return f"queues.{self.queue}" if self.queue is not None else f"topics.{self.topic}"


class AsyncInvokeSpec(SpecModel):
    """How Lambda handles asynchronous invocations of a function (schedules, S3, SNS invoke it so)."""

    retries: int = Field(default=2, ge=0, le=2, description="Retries of a failed invocation.")
    max_event_age: int = Field(
        default=21600, ge=60, le=21600, description="Seconds an event may wait before it is dropped."
    )
    on_failure: FailureDestinationSpec | None = Field(
        default=None, description="Where events that failed every attempt are sent."
    )
