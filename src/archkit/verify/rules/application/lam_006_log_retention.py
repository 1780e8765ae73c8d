"""ARCH-LAM-006: log groups (functions, flow logs) expire their logs."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import FlowLogState
from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.wording import count


@rule(
    id="ARCH-LAM-006",
    title="Function and flow-log log groups have a retention period",
    severity="low",
    layer="application",
    enforces="CloudWatch Logging (and Storage Optimization)",
    applies_to=(FunctionState, FlowLogState),
    resource_type="AWS::Logs::LogGroup",
    remediation="Set `log_retention_days` on the function (or `network.flow_logs.retention_days`).",
    counterparts=Counterparts(
        security_hub=("CloudWatch.16 (NIST 800-53)",),
        cdk_nag=(
            "Serverless-CloudWatchLogGroupRetentionPeriod",
            "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod",
        ),
        checkov=("CKV_AWS_66",),
        prowler=("cloudwatch_log_group_retention_policy_specific_days_enabled",),
        config=("cw-loggroup-retention-period-check",),
    ),
)
def check(state: FunctionState | FlowLogState, ctx: RuleContext) -> Outcome:
    """Never-expiring log groups grow (and bill) forever and keep personal data longer than needed."""
    if isinstance(state, FlowLogState) and state.destination != "cloudwatch":
        return not_applicable("flow logs go to S3 (lifecycle rules apply there)")
    days = state.retention_days if isinstance(state, FlowLogState) else state.log_retention_days
    attribute = "retention_days" if isinstance(state, FlowLogState) else "log_retention_days"
    if days is None:
        return failed(
            "the log group never expires", attribute=attribute, expected="a retention period", actual=None
        )
    return passed(count(days, "day"), attribute=attribute)
