"""ARCH-SG-001: no security group admits the whole internet except on the web ports."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import SecurityGroupState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule

WORLD = ("cidr 0.0.0.0/0", "cidr ::/0")
WEB_PORTS = frozenset({"80", "443"})
"""Ports a public entry point (the optional ALB) may open to everyone, as Security Hub EC2.18 authorises."""


@rule(
    id="ARCH-SG-001",
    title="Security groups admit traffic from anywhere only on HTTP(S) ports",
    severity="high",
    layer="application",
    enforces="VPC Security Groups",
    applies_to=SecurityGroupState,
    resource_type="AWS::EC2::SecurityGroup",
    remediation=(
        "Remove the `0.0.0.0/0` ingress rule or narrow its `cidr` in "
        "`network.security_groups.<name>.ingress`; "
        "reach instances through SSM Session Manager rather than an open SSH/RDP port."
    ),
    counterparts=Counterparts(
        security_hub=("EC2.18", "EC2.19", "EC2.53"),
        cdk_nag=("AwsSolutions-EC23",),
        checkov=("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"),
        prowler=("ec2_securitygroup_allow_ingress_from_internet_to_any_port",),
        config=("vpc-sg-open-only-to-authorized-ports", "restricted-ssh"),
        cis=("5.2",),
    ),
    differences=(
        "cdk-nag AwsSolutions-EC23 flags any 0.0.0.0/0 ingress, the HTTPS listener of a public load balancer "
        "included; archkit allows ports 80 and 443 there, as Security Hub EC2.18 does by default."
    ),
)
def check(group: SecurityGroupState, ctx: RuleContext) -> Outcome:
    """A rule key reads ``<protocol> <ports> <peer>``, e.g. ``tcp 22 cidr 0.0.0.0/0``."""
    open_rules = sorted(
        key
        for key in group.ingress
        if key.endswith(WORLD) and not (key.startswith("tcp ") and key.split(" ")[1] in WEB_PORTS)
    )
    if open_rules:
        return failed(
            f"open to the internet: {', '.join(open_rules)}",
            attribute="ingress",
            expected="no 0.0.0.0/0 ingress except tcp 80/443",
            actual=open_rules,
        )
    return passed("no unrestricted ingress beyond HTTP(S)", attribute="ingress")
