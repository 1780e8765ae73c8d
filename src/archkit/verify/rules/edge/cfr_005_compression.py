"""ARCH-CFR-005: CloudFront compresses responses (the seed's data-transfer cost measure)."""

from __future__ import annotations

from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-CFR-005",
    title="CloudFront compresses responses at the edge",
    severity="low",
    layer="cost",
    enforces="Data Transfer: Compression",
    applies_to=DistributionState,
    resource_type="AWS::CloudFront::Distribution",
    remediation="Set `edge.cdn.compression: true`.",
)
def check(dist: DistributionState, ctx: RuleContext) -> Outcome:
    """Compressed responses cut data-transfer-out charges and load time. No public control checks this."""
    if dist.compression:
        return passed("compression on")
    return failed("compression is off", attribute="compression", expected=True, actual=False)
