"""ARCH-VPC-002: DynamoDB and S3 traffic uses gateway endpoints on every private route table."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import RouteTableState, SubnetState, VpcEndpointState, VpcState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.wording import count

GATEWAY_SERVICES = ("dynamodb", "s3")


@rule(
    id="ARCH-VPC-002",
    title="DynamoDB and S3 are reached through gateway endpoints (off the NAT)",
    severity="low",
    layer="cost",
    enforces="Data Transfer: VPC Endpoints",
    applies_to=VpcState,
    resource_type="AWS::EC2::VPC",
    remediation=(
        "Add `{service: dynamodb, type: gateway}` and `{service: s3, type: gateway}` to `network.endpoints`."
    ),
    counterparts=Counterparts(config=("service-vpc-endpoint-enabled",)),
)
def check(vpc: VpcState, ctx: RuleContext) -> list[Outcome]:
    """Gateway endpoints are free; without them every DynamoDB and S3 call from a private subnet pays NAT
    processing charges. Each endpoint must be on the route table of every private subnet."""
    private = {s.path for s in ctx.of_type(SubnetState) if s.tier == "private"}
    tables = sorted(t.path for t in ctx.of_type(RouteTableState) if private & set(t.subnets))
    outcomes: list[Outcome] = []
    for service in GATEWAY_SERVICES:
        attribute = f"endpoints.{service}"
        gateways = [
            e for e in ctx.of_type(VpcEndpointState) if e.service == service and e.endpoint_type == "gateway"
        ]
        if not gateways:
            outcomes.append(
                failed(f"no {service} gateway endpoint", attribute=attribute, expected="a gateway endpoint")
            )
            continue
        routed = {t for e in gateways for t in e.route_tables}
        missing = [t for t in tables if t not in routed]
        if missing:
            outcomes.append(
                failed(
                    f"the {service} gateway endpoint is not on {', '.join(missing)}",
                    attribute=attribute,
                    expected=tables,
                    actual=sorted(routed),
                )
            )
        else:
            outcomes.append(
                passed(
                    f"{service} gateway endpoint on {count(len(tables), 'private route table')}",
                    attribute=attribute,
                )
            )
    return outcomes
