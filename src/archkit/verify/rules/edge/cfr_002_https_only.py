"""ARCH-CFR-002: viewers reach CloudFront over HTTPS only."""

from __future__ import annotations

from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule

HTTPS_POLICIES = frozenset({"redirect-to-https", "https-only"})


@rule(
    id="ARCH-CFR-002",
    title="CloudFront viewers are served over HTTPS only",
    severity="medium",
    layer="edge",
    enforces="Encryption in Transit (TLS)",
    applies_to=DistributionState,
    resource_type="AWS::CloudFront::Distribution",
    remediation="Set `edge.cdn.viewer_protocol` to `redirect-to-https` or `https-only`.",
    counterparts=Counterparts(
        security_hub=("CloudFront.3",),
        checkov=("CKV_AWS_34",),
        prowler=("cloudfront_distributions_https_enabled",),
        config=("cloudfront-viewer-policy-https",),
    ),
)
def check(dist: DistributionState, ctx: RuleContext) -> Outcome:
    """The viewer protocol policy never lets a request through over plain HTTP."""
    if dist.viewer_protocol in HTTPS_POLICIES:
        return passed(dist.viewer_protocol)
    return failed(
        f"viewer protocol policy is {dist.viewer_protocol}",
        attribute="viewer_protocol",
        expected=sorted(HTTPS_POLICIES),
        actual=dist.viewer_protocol,
    )
