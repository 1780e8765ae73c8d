"""ARCH-SQS-001: no queue policy grants access to everyone."""

from __future__ import annotations

from archkit.verify.kinds.sqs_queue import QueueState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.verify.rules.common import public_statements


@rule(
    id="ARCH-SQS-001",
    title="SQS queue policies grant no access to everyone",
    severity="critical",
    layer="data",
    enforces="Backup Encryption, Access Logging (failed stream records readable only by the system)",
    applies_to=QueueState,
    resource_type="AWS::SQS::Queue",
    remediation=(
        "Remove the statement for `Principal: *` from the queue policy; the stream's consumer writes to the "
        "queue through its execution role."
    ),
    counterparts=Counterparts(
        security_hub=("SQS.3",),
        prowler=("sqs_queues_not_publicly_accessible",),
        config=("sqs-queue-policy-no-public-access",),
    ),
    differences=(
        "The TLS-only statement archkit deploys names `*` too, but denies; only an Allow for everyone "
        "without a scoping condition counts."
    ),
)
def check(queue: QueueState, ctx: RuleContext) -> Outcome:
    """The stream-failure queue holds the records of failed batches: anyone allowed to read it reads them."""
    public = public_statements(queue.policy)
    if public:
        return failed(
            f"the queue policy allows everyone ({', '.join(queue.policy[public[0]].actions)})",
            attribute=f"policy[{public[0]}]",
            expected=None,
            actual=queue.policy[public[0]].model_dump(mode="json"),
        )
    return passed("no statement for everyone", attribute="policy")
