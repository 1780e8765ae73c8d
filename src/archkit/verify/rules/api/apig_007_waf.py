"""ARCH-APIG-007: the API stage is protected by a web ACL of its own."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-007",
    title="The API stage has a web ACL of its own (CloudFront's does not guard the execute-api endpoint)",
    severity="high",
    layer="api",
    enforces="Edge Security (CloudFront + WAF) in front of API Gateway",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation=(
        "Behind CloudFront, set `api.origin_verify` (a secret header CloudFront adds, checked by a regional "
        "web ACL on the stage) so the execute-api endpoint answers only the distribution; methods' "
        "`ip_allow_list` also give the stage a web ACL."
    ),
    counterparts=Counterparts(
        security_hub=("APIGateway.4",),
        cdk_nag=("AwsSolutions-APIG3",),
        prowler=("apigateway_restapi_waf_acl_attached",),
        config=("api-gw-associated-with-waf",),
    ),
    differences=(
        "A distribution with WAF in front of the API is not enough: the regional execute-api endpoint stays "
        "reachable directly, bypassing it, which is what a cdk-nag AwsSolutions-APIG3 suppression reading "
        "'traffic reaches the API through CloudFront' claims without enforcing. archkit, like cdk-nag and "
        "Security Hub, wants the stage's own web ACL (archkit's checks CloudFront's origin-verify header)."
    ),
)
def check(api: ApiState, ctx: RuleContext) -> Outcome:
    """Passes when the stage has a regional web ACL. A WAF-protected distribution in front does not pass on
    its own: requests sent to the execute-api URL never meet its web ACL."""
    own = api.web_acl
    if own is not None:
        return passed(f"regional web ACL {own}", attribute="web_acl")
    fronts = [
        d.path for d in ctx.of_type(DistributionState) if api.path in d.origins and d.web_acl is not None
    ]
    bypass = f" (the execute-api endpoint bypasses {', '.join(fronts)}'s web ACL)" if fronts else ""
    return failed(
        f"no web ACL on the stage{bypass}",
        attribute="web_acl",
        expected="a regional web ACL on the stage (api.origin_verify behind CloudFront)",
        actual=None,
    )
