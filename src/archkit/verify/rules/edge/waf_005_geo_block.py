"""ARCH-WAF-005: the web ACL blocks the countries the spec lists."""

from __future__ import annotations

from archkit.verify.kinds.wafv2_web_acl import WebAclState, waf_settings
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="ARCH-WAF-005",
    title="The WAF web ACL geo-blocks the countries the spec lists",
    severity="medium",
    layer="edge",
    enforces="Geo-blocking",
    applies_to=WebAclState,
    resource_type="AWS::WAFv2::WebACL",
    remediation="List the country codes under `edge.waf.geo_block` and redeploy the web ACL.",
    counterparts=Counterparts(
        cdk_nag=("AwsSolutions-CFR1",),
        prowler=("cloudfront_distributions_geo_restrictions_enabled",),
    ),
    differences=(
        "cdk-nag AwsSolutions-CFR1 (a warning) looks for a CloudFront geo restriction on the distribution; "
        "archkit geo-blocks in the WAF web ACL (a geo match rule), so CFR1 still reports the distribution. "
        "The reference spec records a cdk-nag suppression for it."
    ),
)
def check(acl: WebAclState, ctx: RuleContext) -> Outcome:
    """Applies only when `edge.waf.geo_block` lists countries; each must be in the ACL's geo match rule."""
    wanted = sorted(set(waf_settings(ctx.spec, acl.path).geo_block))
    if not wanted:
        return not_applicable("the spec lists no country to block")
    missing = [code for code in wanted if code not in acl.geo_block]
    if missing:
        return failed(
            f"countries not blocked: {', '.join(missing)}",
            attribute="geo_block",
            expected=wanted,
            actual=list(acl.geo_block),
        )
    return passed(f"blocks {', '.join(wanted)}")
