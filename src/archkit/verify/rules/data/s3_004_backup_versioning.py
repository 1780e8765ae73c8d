"""ARCH-S3-004: buckets holding backups keep object versions."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.rules.common import backup_prefixes


@rule(
    id="ARCH-S3-004",
    title="Buckets holding backups have versioning on",
    severity="medium",
    layer="data",
    enforces="Automated Backups (backups/)",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation="Set `versioning: true` on the bucket that holds `backups/`.",
    counterparts=Counterparts(
        security_hub=("S3.14 (NIST 800-53)",),
        cdk_nag=("NIST.800.53.R5-S3BucketVersioningEnabled",),
        checkov=("CKV_AWS_21",),
        prowler=("s3_bucket_object_versioning",),
        config=("s3-bucket-versioning-enabled",),
    ),
    differences="cdk-nag's NIST pack asks versioning on every bucket; archkit on buckets holding backups.",
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """A bucket holds backups when it declares a `backups/` prefix (or has a lifecycle rule on one).
    Versions protect backups from being overwritten or deleted by mistake or by ransomware."""
    prefixes = backup_prefixes(ctx.spec, bucket.path, [r.prefix for r in bucket.lifecycle_rules.values()])
    if not prefixes:
        return not_applicable("the bucket holds no backups")
    if bucket.versioning:
        return passed(f"versioned; backups under {', '.join(prefixes)}", attribute="versioning")
    return failed(
        f"backups under {', '.join(prefixes)} are not versioned",
        attribute="versioning",
        expected=True,
        actual=False,
    )
