"""ARCH-COST-003: Intelligent-Tiering is configured where the spec asks."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.rules.common import covers, spec_entry


@rule(
    id="ARCH-COST-003",
    title="S3 Intelligent-Tiering archive configuration exists where the spec asks",
    severity="low",
    layer="cost",
    enforces="Storage Optimization: Intelligent Tier",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation="Deploy the bucket's `intelligent_tiering` configuration (enabled, with its prefix).",
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """Applies when the bucket's `intelligent_tiering.enabled` is true; a configuration covers its prefix."""
    declared = spec_entry(ctx.spec, bucket.path)
    if declared is None or not declared.intelligent_tiering.enabled:
        return not_applicable("the spec does not ask for Intelligent-Tiering on this bucket")
    prefix = declared.intelligent_tiering.prefix
    configs = sorted(
        cfg.prefix or "<bucket>" for cfg in bucket.intelligent_tiering if covers(cfg.prefix, prefix)
    )
    if configs:
        return passed(
            f"{prefix or 'bucket'} tiered by the configuration on {', '.join(configs)}",
            attribute="intelligent_tiering",
        )
    return failed(
        f"no Intelligent-Tiering configuration covers '{prefix}'",
        attribute="intelligent_tiering",
        expected=prefix,
        actual=sorted(cfg.prefix for cfg in bucket.intelligent_tiering),
    )
