"""ARCH-LAM-005: stream consumers send failed batches to a dead-letter destination."""

from __future__ import annotations

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="ARCH-LAM-005",
    title="Stream consumers have an on-failure destination (DLQ)",
    severity="medium",
    layer="application",
    enforces="DynamoDB Streams → Lambda",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation="Keep `stream.on_failure_queue: true` on the table whose stream the function consumes.",
    counterparts=Counterparts(cdk_nag=("Serverless-LambdaEventSourceMappingDestination",)),
)
def check(fn: FunctionState, ctx: RuleContext) -> list[Outcome]:
    """Without a destination, a poison batch blocks its shard until the records expire and are lost."""
    streams = {path: source for path, source in fn.event_sources.items() if path.startswith("tables.")}
    if not streams:
        return [not_applicable("the function consumes no stream")]
    outcomes: list[Outcome] = []
    for path, source in streams.items():
        attribute = f"event_sources.{path}.on_failure_destination"
        if source.on_failure_destination:
            outcomes.append(passed(f"{path}: failures go to a destination", attribute=attribute))
        else:
            outcomes.append(
                failed(f"{path}: no on-failure destination", attribute=attribute, expected=True, actual=False)
            )
    return outcomes
