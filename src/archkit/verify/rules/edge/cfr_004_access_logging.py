"""ARCH-CFR-004: CloudFront writes standard access logs."""

from __future__ import annotations

from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-CFR-004",
    title="CloudFront distributions write access logs",
    severity="medium",
    layer="edge",
    enforces="Access Logging",
    applies_to=DistributionState,
    resource_type="AWS::CloudFront::Distribution",
    remediation="Set `edge.cdn.logs_bucket` to a bucket key (the reference spec uses `logs`).",
    counterparts=Counterparts(
        security_hub=("CloudFront.5",),
        cdk_nag=("AwsSolutions-CFR3",),
        checkov=("CKV_AWS_86",),
        prowler=("cloudfront_distributions_logging_enabled",),
        config=("cloudfront-accesslogs-enabled",),
    ),
)
def check(dist: DistributionState, ctx: RuleContext) -> Outcome:
    """Standard logs record every viewer request (who, what, when) for incident response."""
    if dist.logging_bucket is None:
        return failed(
            "access logging is off", attribute="logging_bucket", expected="a log bucket", actual=None
        )
    return passed(f"logs to {dist.logging_bucket}")
