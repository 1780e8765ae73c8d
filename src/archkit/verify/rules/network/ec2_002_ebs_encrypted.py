"""ARCH-EC2-002: EC2 instances' EBS volumes are encrypted."""

from __future__ import annotations

from archkit.verify.kinds.ec2_instance import InstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-EC2-002",
    title="EBS volumes attached to EC2 instances are encrypted",
    severity="medium",
    layer="network",
    enforces="Encryption at Rest (AES-256)",
    applies_to=InstanceState,
    resource_type="AWS::EC2::Instance",
    remediation=(
        "Volumes cannot be encrypted in place: replace the instance (archkit's CDK output encrypts the root "
        "volume), or turn on EBS encryption by default for the account and region."
    ),
    counterparts=Counterparts(
        security_hub=("EC2.3",),
        cdk_nag=("AwsSolutions-EC26",),
        prowler=("ec2_ebs_volume_encryption",),
        config=("encrypted-volumes",),
    ),
)
def check(instance: InstanceState, ctx: RuleContext) -> Outcome:
    """Unencrypted volumes and their snapshots hold the host's data in the clear."""
    if not instance.ebs_encrypted:
        return failed(
            "an attached volume is not encrypted", attribute="ebs_encrypted", expected=True, actual=False
        )
    return passed("attached volumes encrypted", attribute="ebs_encrypted")
