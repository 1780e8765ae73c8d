"""ARCH-CFR-001: the CloudFront distribution is protected by a WAF web ACL."""

from __future__ import annotations

from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-CFR-001",
    title="CloudFront distributions are protected by a WAF web ACL",
    severity="high",
    layer="edge",
    enforces="CloudFront CDN + WAF Rules",
    applies_to=DistributionState,
    resource_type="AWS::CloudFront::Distribution",
    remediation="Set `edge.waf.enabled: true`: archkit creates the web ACL and attaches it to CloudFront.",
    counterparts=Counterparts(
        security_hub=("CloudFront.6",),
        cdk_nag=("AwsSolutions-CFR2",),
        checkov=("CKV_AWS_68",),
        prowler=("cloudfront_distributions_using_waf",),
        config=("cloudfront-associated-with-waf",),
    ),
)
def check(dist: DistributionState, ctx: RuleContext) -> Outcome:
    """Every request to the distribution passes the web ACL first (rate limits, managed rule groups)."""
    if dist.web_acl is None:
        return failed("no web ACL is attached", attribute="web_acl", expected="a WAF web ACL", actual=None)
    return passed(f"web ACL {dist.web_acl}")
