"""ARCH-EC2-003: EC2 instances have no public IPv4 address."""

from __future__ import annotations

from archkit.verify.kinds.ec2_instance import InstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-EC2-003",
    title="EC2 instances have no public IP address",
    severity="high",
    layer="network",
    enforces="VPC Security Groups (nothing reachable from the internet but the edge)",
    applies_to=InstanceState,
    resource_type="AWS::EC2::Instance",
    remediation=(
        "Put the host in a private subnet: `network.bastion.subnet: private` (Session Manager works through "
        "the NAT gateways or the ssm, ssmmessages and ec2messages interface endpoints)."
    ),
    counterparts=Counterparts(
        security_hub=("EC2.9",),
        checkov=("CKV_AWS_88",),
        prowler=("ec2_instance_public_ip",),
        config=("ec2-instance-no-public-ip",),
    ),
)
def check(instance: InstanceState, ctx: RuleContext) -> Outcome:
    """An SSM-managed host needs no address on the internet: a public one only adds attack surface."""
    if instance.public_ip:
        return failed(
            "the instance has a public IPv4 address", attribute="public_ip", expected=False, actual=True
        )
    return passed("no public IPv4 address", attribute="public_ip")
