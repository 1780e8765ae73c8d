"""The event flow shared by the views that draw functions one by one: queues (with their dead-letter queues),
topics and their subscribers, schedules, rules, bucket notifications, queue triggers and failure destinations.

A system without an API reads as a flow: upload -> notification -> queue -> function -> table, schedule ->
function, failures -> topic -> email.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from archkit.spec.conventions import dead_letter_path
from archkit.spec.events import S3_EVENTS

if TYPE_CHECKING:
    from archkit.diagram.model import ViewBuilder
    from archkit.spec.system import ArchSpec

FunctionNode = Callable[[str], str | None]
"""Function key -> its node in the view (None: not drawn there)."""


def has_events(spec: ArchSpec) -> bool:
    """Does the spec declare any event element (then functions are drawn one by one)?"""
    return bool(
        spec.queues
        or spec.topics
        or spec.schedules
        or spec.event_rules
        or any(b.notifications for b in spec.buckets.values())
        or any(f.triggers or f.async_invoke for f in spec.functions.values())
    )


def draw_events(b: ViewBuilder, spec: ArchSpec, function_node: FunctionNode) -> None:
    """Nodes of the event elements and the edges that make the flow."""

    def node_of(path: str) -> str | None:
        kind, _, key = path.partition(".")
        return function_node(key) if kind == "functions" else path if b.has(path) else None

    for key, queue in spec.queues.items():
        details = [spec.name_of(key), f"visibility {queue.visibility_timeout} s"]
        details.append("SSE-KMS" if queue.encryption == "kms" else "SSE-SQS")
        b.node(f"queues.{key}", f"SQS queue {key}", "sqs", details=details)
        if queue.dead_letter is not None:
            dlq = dead_letter_path(key)
            b.node(
                dlq, f"Dead-letter queue {key}", "sqs", details=[f"{queue.dead_letter.retention_days} days"]
            )
            b.edge(
                f"queues.{key}",
                dlq,
                f"after {queue.dead_letter.max_receive_count} receives",
                kind="flow",
                dashed=True,
            )
    for key, topic in spec.topics.items():
        b.node(
            f"topics.{key}",
            f"SNS topic {key}",
            "sns",
            details=[spec.name_of(key), "SSE-KMS" if topic.encryption == "kms" else "SSE (aws/sns)"],
        )
    for key, schedule in spec.schedules.items():
        details = [schedule.expression, *([] if schedule.enabled else ["disabled"])]
        b.node(f"schedules.{key}", f"Schedule {key}", "schedule", details=details)
    for key, rule in spec.event_rules.items():
        sources = rule.pattern.get("source") or []
        details = ["source " + ", ".join(map(str, sources))] if sources else ["event pattern"]
        b.node(f"event_rules.{key}", f"EventBridge rule {key}", "eventrule", details=details)

    for group in ("schedules", "event_rules"):
        for key, entry in getattr(spec, group).items():
            target = node_of(entry.target_path())
            if target is not None:
                b.edge(f"{group}.{key}", target, "invokes" if entry.function else "sends", kind="invokes")
    for bkey, bucket in spec.buckets.items():
        source = f"buckets.{bkey}"
        for note in bucket.notifications:
            target = node_of(note.target_path())
            if target is None or not b.has(source):
                continue
            events = ", ".join(S3_EVENTS[e].split(":")[1] for e in note.events)
            b.edge(source, target, f"{events} {note.prefix}*{note.suffix}", kind="flow")
    for fkey, fn in spec.functions.items():
        node = function_node(fkey)
        if node is None:
            continue
        for trigger in fn.triggers:
            b.edge(f"queues.{trigger.queue}", node, f"batch {trigger.batch_size}", kind="invokes")
        if fn.async_invoke is not None and fn.async_invoke.on_failure is not None:
            target = node_of(fn.async_invoke.on_failure.target_path())
            if target is not None:
                b.edge(node, target, "on failure", kind="flow", dashed=True)
    for tkey, topic in spec.topics.items():
        for i, sub in enumerate(topic.subscriptions):
            protocol, endpoint = sub.target()
            if protocol == "email":
                subscriber: str | None = b.node(
                    f"topics.{tkey}.subscriptions.{i}",
                    "Email",
                    "email",
                    ref=f"topics.{tkey}",
                    details=[endpoint],
                )
            else:
                subscriber = node_of(endpoint)
            if subscriber is not None:
                b.edge(f"topics.{tkey}", subscriber, protocol, kind="flow")
