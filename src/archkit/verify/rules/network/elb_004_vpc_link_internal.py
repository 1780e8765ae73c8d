"""ARCH-ELB-004: the load balancer behind the API's VPC link is internal."""

from __future__ import annotations

from archkit.verify.kinds.elbv2_load_balancer import LoadBalancerState
from archkit.verify.rules.base import (
    Counterparts,
    Outcome,
    RuleContext,
    failed,
    not_applicable,
    passed,
    rule,
)


@rule(
    id="ARCH-ELB-004",
    title="The load balancer behind the API's VPC link is internal",
    severity="high",
    layer="api",
    enforces="API Key Validation, Custom Authorizers (no way around the API's own checks)",
    applies_to=LoadBalancerState,
    resource_type="AWS::ElasticLoadBalancingV2::LoadBalancer",
    remediation=(
        "Set `network.alb.internet_facing: false`: the VPC link reaches an internal load balancer from the "
        "private subnets, and nothing on the internet can call its targets without the API's authorizer, "
        "API keys and CloudFront's web ACL."
    ),
    counterparts=Counterparts(prowler=("elbv2_internet_facing",)),
    differences=(
        "Prowler's elbv2_internet_facing reports every internet-facing load balancer; archkit asks it of the "
        "VPC link's target only, where an internet-facing scheme bypasses the API's security."
    ),
)
def check(lb: LoadBalancerState, ctx: RuleContext) -> Outcome:
    """An internet-facing target of the VPC link serves the API's routes without the API's protection."""
    if not ctx.spec.api.vpc_link.enabled:
        return not_applicable("no VPC link")
    if lb.scheme != "internal":
        return failed(
            "the VPC link's load balancer is internet-facing: its routes bypass the API's authorizer, keys "
            "and web ACL",
            attribute="scheme",
            expected="internal",
            actual=lb.scheme,
        )
    return passed("internal", attribute="scheme")
