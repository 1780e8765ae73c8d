"""ARCH-VPC-001: the VPC captures flow logs."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import FlowLogState, VpcState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-VPC-001",
    title="VPCs capture flow logs",
    severity="medium",
    layer="network",
    enforces="Access Logging (network)",
    applies_to=VpcState,
    resource_type="AWS::EC2::VPC",
    remediation="Set `network.flow_logs.enabled: true`.",
    counterparts=Counterparts(
        security_hub=("EC2.6",),
        cdk_nag=("AwsSolutions-VPC7", "NIST.800.53.R5-VPCFlowLogsEnabled"),
        prowler=("vpc_flow_logs_enabled",),
        config=("vpc-flow-logs-enabled",),
        cis=("3.9",),
    ),
)
def check(vpc: VpcState, ctx: RuleContext) -> Outcome:
    """Flow logs show which addresses talked to the functions and the database, for incident response."""
    logs = [f for f in ctx.of_type(FlowLogState) if f.resource == vpc.path]
    if not logs:
        return failed("no flow log", attribute="flow_logs", expected="a flow log", actual=None)
    return passed(", ".join(f"{f.traffic_type} to {f.destination}" for f in logs), attribute="flow_logs")
