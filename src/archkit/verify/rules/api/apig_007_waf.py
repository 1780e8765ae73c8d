"""ARCH-APIG-007: the API is protected by WAF, directly or behind a CloudFront distribution with WAF."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-007",
    title="The API is protected by WAF (its own web ACL, or behind CloudFront with one)",
    severity="high",
    layer="api",
    enforces="Edge Security (CloudFront + WAF) in front of API Gateway",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation="Enable `edge.cdn` and `edge.waf` so the API is an origin of the WAF-protected distribution.",
    counterparts=Counterparts(
        security_hub=("APIGateway.4",),
        cdk_nag=("AwsSolutions-APIG3",),
        prowler=("apigateway_restapi_waf_acl_attached",),
        config=("api-gw-associated-with-waf",),
    ),
    differences=(
        "cdk-nag AwsSolutions-APIG3 (and Security Hub APIGateway.4) want a regional web ACL on the stage; "
        "the seed puts WAF on CloudFront in front of the API, which archkit accepts. The reference spec "
        "suppresses APIG3 with that reason."
    ),
)
def check(api: ApiState, ctx: RuleContext) -> Outcome:
    """Passes when the stage has a regional web ACL, or a distribution with a web ACL routes to the API."""
    own = getattr(api, "web_acl", None)
    if own is not None:
        return passed(f"regional web ACL {own}", attribute="web_acl")
    fronts = [
        d.path for d in ctx.of_type(DistributionState) if api.path in d.origins and d.web_acl is not None
    ]
    if fronts:
        return passed(f"behind {', '.join(fronts)} with WAF", attribute="web_acl")
    return failed(
        "no web ACL on the stage and no WAF-protected distribution in front",
        attribute="web_acl",
        expected="a web ACL (regional or on the distribution in front)",
        actual=None,
    )
