"""ARCH-ELB-001: application load balancers drop invalid HTTP headers."""

from __future__ import annotations

from archkit.verify.kinds.elbv2_load_balancer import LoadBalancerState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-ELB-001",
    title="Application load balancers drop invalid HTTP header fields",
    severity="medium",
    layer="network",
    enforces="ALB (Optional): Input Validation at the edge of the VPC",
    applies_to=LoadBalancerState,
    resource_type="AWS::ElasticLoadBalancingV2::LoadBalancer",
    remediation=(
        "Set the load balancer attribute `routing.http.drop_invalid_header_fields.enabled` to true "
        "(archkit's CDK output always does; a difference is a change made in the account)."
    ),
    counterparts=Counterparts(
        security_hub=("ELB.4",),
        cdk_nag=(
            "NIST.800.53.R4-ALBHttpDropInvalidHeaderEnabled",
            "PCI.DSS.321-ALBHttpDropInvalidHeaderEnabled",
        ),
        checkov=("CKV_AWS_131",),
        prowler=("elbv2_desync_mitigation_mode",),
        config=("alb-http-drop-invalid-header-enabled",),
    ),
)
def check(lb: LoadBalancerState, ctx: RuleContext) -> Outcome:
    """Headers with invalid characters are a request-smuggling vector toward the Lambda targets."""
    if not lb.drop_invalid_headers:
        return failed(
            "invalid header fields are forwarded",
            attribute="drop_invalid_headers",
            expected=True,
            actual=False,
        )
    return passed("invalid header fields dropped", attribute="drop_invalid_headers")
