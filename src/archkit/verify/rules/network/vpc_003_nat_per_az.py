"""ARCH-VPC-003: one NAT gateway per availability zone where the spec asks for high availability."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import NatGatewayState, SubnetState, VpcState
from archkit.verify.rules.base import Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="ARCH-VPC-003",
    title="Each availability zone with private subnets has its own NAT gateway (high availability)",
    severity="medium",
    layer="network",
    enforces="NAT GW (AZ1), NAT GW (AZ2): one per AZ",
    applies_to=VpcState,
    resource_type="AWS::EC2::VPC",
    remediation=(
        "Set `network.nat_gateways` to the number of availability zones (one public subnet each), or set "
        "`network.high_availability: false` where one shared NAT gateway is acceptable (e.g. dev)."
    ),
)
def check(vpc: VpcState, ctx: RuleContext) -> Outcome:
    """Applies when `network.high_availability` is true: an AZ outage must not cut the others' egress."""
    if not ctx.spec.network.high_availability:
        return not_applicable("the spec does not ask for high availability")
    subnets = {s.path: s for s in ctx.of_type(SubnetState)}
    needed = sorted({s.availability_zone for s in subnets.values() if s.tier == "private"})
    covered = sorted(
        {subnets[n.subnet].availability_zone for n in ctx.of_type(NatGatewayState) if n.subnet in subnets}
    )
    missing = [az for az in needed if az not in covered]
    if missing:
        return failed(
            f"no NAT gateway in {', '.join(missing)}",
            attribute="nat_gateways",
            expected=needed,
            actual=covered,
        )
    return passed(f"NAT gateways in {', '.join(covered)}", attribute="nat_gateways")
