"""ARCH-VPC-004: the VPC's default security group allows no traffic."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import VpcState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-VPC-004",
    title="The VPC's default security group allows no traffic",
    severity="medium",
    layer="network",
    enforces="VPC isolation (a resource launched without a group reaches nothing)",
    applies_to=VpcState,
    resource_type="AWS::EC2::VPC",
    remediation="Set `network.restrict_default_security_group: true` (and remove rules added to that group).",
    counterparts=Counterparts(
        security_hub=("EC2.2",),
        cdk_nag=("NIST.800.53.R5-VPCDefaultSecurityGroupClosed",),
        prowler=("ec2_securitygroup_default_restrict_traffic",),
        config=("vpc-default-security-group-closed",),
        cis=("5.3",),
    ),
)
def check(vpc: VpcState, ctx: RuleContext) -> Outcome:
    """AWS creates the default group allowing all traffic between its members and out to anywhere; anything
    launched without a group lands in it."""
    if vpc.default_security_group_open:
        return failed(
            "the default security group has rules",
            attribute="default_security_group_open",
            expected=False,
            actual=True,
        )
    return passed("the default security group has no rule", attribute="default_security_group_open")
