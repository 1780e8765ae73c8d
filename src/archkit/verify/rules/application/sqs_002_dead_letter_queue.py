"""ARCH-SQS-002: SQS queues move messages that keep failing to a dead-letter queue."""

from __future__ import annotations

from archkit.spec.conventions import DEAD_LETTER_SUFFIX, STREAM_FAILURES_SUFFIX
from archkit.verify.kinds.sqs_queue import QueueState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="ARCH-SQS-002",
    title="SQS queues have a dead-letter queue",
    severity="medium",
    layer="application",
    enforces="Asynchronous processing (SQS -> Lambda)",
    applies_to=QueueState,
    resource_type="AWS::SQS::Queue",
    remediation="Give the queue a `dead_letter: {max_receive_count: 5}` (the default).",
    counterparts=Counterparts(cdk_nag=("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy")),
    differences=(
        "cdk-nag AwsSolutions-SQS3 also flags the dead-letter queue itself (archkit acknowledges it in the "
        "construct); this rule does not apply to a dead-letter queue or a table stream's failure queue."
    ),
)
def check(queue: QueueState, ctx: RuleContext) -> Outcome:
    """Without one, a message that always fails is retried until its retention ends, and then lost."""
    if queue.path.endswith(f".{DEAD_LETTER_SUFFIX}"):
        return not_applicable("a dead-letter queue")
    if queue.path.endswith(f".{STREAM_FAILURES_SUFFIX}"):
        return not_applicable("the on-failure destination of a table stream: itself a dead-letter queue")
    if queue.dead_letter is not None:
        return passed(f"dead letters go to {queue.dead_letter}", attribute="dead_letter")
    return failed(
        "messages that keep failing are never set aside",
        attribute="dead_letter",
        expected="a queue",
        actual=None,
    )
