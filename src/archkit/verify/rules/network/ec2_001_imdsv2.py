"""ARCH-EC2-001: EC2 instances require IMDSv2."""

from __future__ import annotations

from archkit.verify.kinds.ec2_instance import InstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-EC2-001",
    title="EC2 instances require IMDSv2 (session tokens for instance metadata)",
    severity="high",
    layer="network",
    enforces="Bastion Host: IAM Roles (Least Privilege)",
    applies_to=InstanceState,
    resource_type="AWS::EC2::Instance",
    remediation=(
        "Require tokens: `aws ec2 modify-instance-metadata-options --http-tokens required` (archkit's CDK "
        "output always does; a difference is a change made in the account)."
    ),
    counterparts=Counterparts(
        security_hub=("EC2.8",),
        cdk_nag=("NIST.800.53.R5-EC2IMDSv2Enabled",),
        prowler=("ec2_instance_imdsv2_enabled",),
        config=("ec2-imdsv2-check",),
    ),
)
def check(instance: InstanceState, ctx: RuleContext) -> Outcome:
    """IMDSv1 hands the instance role's credentials to any request a server-side forgery can make."""
    if not instance.imdsv2_required:
        return failed("IMDSv1 is allowed", attribute="imdsv2_required", expected=True, actual=False)
    return passed("IMDSv2 required", attribute="imdsv2_required")
