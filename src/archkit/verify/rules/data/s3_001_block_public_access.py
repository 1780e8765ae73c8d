"""ARCH-S3-001: all four S3 Block Public Access settings are on."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-S3-001",
    title="S3 buckets block public access (all four settings)",
    severity="high",
    layer="data",
    enforces="Data security (CloudFront OAI Read Access on /static only)",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation="Set `block_public_access: true`; CloudFront reads /static through origin access control.",
    counterparts=Counterparts(
        security_hub=("S3.8",),
        cdk_nag=("AwsSolutions-S2", "NIST.800.53.R5-S3BucketLevelPublicAccessProhibited"),
        checkov=("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"),
        prowler=("s3_bucket_level_public_access_block",),
        config=("s3-bucket-level-public-access-prohibited",),
        cis=("2.1.5",),
    ),
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets are all true."""
    settings = bucket.public_access_block.model_dump()
    off = sorted(name for name, on in settings.items() if not on)
    if off:
        return failed(
            f"public access not blocked: {', '.join(off)}",
            attribute="public_access_block",
            expected=dict.fromkeys(sorted(settings), True),
            actual=settings,
        )
    return passed("all four settings on", attribute="public_access_block")
