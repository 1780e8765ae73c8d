"""ARCH-S3-002: S3 buckets encrypt objects by default, with KMS where the spec asks."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.verify.rules.common import spec_entry


@rule(
    id="ARCH-S3-002",
    title="S3 buckets encrypt objects at rest (SSE-KMS where the spec asks)",
    severity="medium",
    layer="data",
    enforces="Encryption at Rest (AES-256)",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation="Set `encryption: s3_managed` (AES-256) or `encryption: kms` with a `kms_key`.",
    counterparts=Counterparts(
        checkov=("CKV_AWS_19",),
        prowler=("s3_bucket_default_encryption",),
        config=("s3-bucket-server-side-encryption-enabled",),
        cis=("2.1.1",),
    ),
    differences=(
        "cdk-nag's AwsSolutions pack leaves this unimplemented (S3 encrypts new objects since 2023) and its "
        "NIST/HIPAA packs ask SSE-KMS on every bucket; archkit accepts SSE-S3 (AES-256, the seed's baseline) "
        "unless the bucket or `security.data.encryption_at_rest: aws:kms` asks for KMS."
    ),
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """Default encryption is on; KMS is required when the bucket's `encryption` is `kms` or the data layer's
    baseline cipher is `aws:kms`."""
    declared = spec_entry(ctx.spec, bucket.path)
    wants_kms = (declared is not None and declared.encryption == "kms") or (
        ctx.spec.security.data.encryption_at_rest == "aws:kms"
    )
    required = "kms" if wants_kms else "s3_managed or kms"
    if bucket.encryption == "kms" or (bucket.encryption == "s3_managed" and not wants_kms):
        return passed(bucket.encryption, attribute="encryption")
    return failed(
        f"default encryption is {bucket.encryption}, {required} required",
        attribute="encryption",
        expected=required,
        actual=bucket.encryption,
    )
