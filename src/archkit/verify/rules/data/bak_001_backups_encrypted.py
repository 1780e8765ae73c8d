"""ARCH-BAK-001: backups are encrypted (the bucket holding `backups/`, with KMS where the spec asks)."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.rules.common import backup_prefixes


@rule(
    id="ARCH-BAK-001",
    title="Backups are stored encrypted",
    severity="high",
    layer="data",
    enforces="Backup Encryption",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation=(
        "Give the bucket holding `backups/` default encryption (`encryption: s3_managed`, or `kms` with a "
        "key "
        "when `security.data.encryption_at_rest` is `aws:kms`)."
    ),
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """Applies when `security.data.backup_encryption` is on and the bucket holds backups. DynamoDB backups
    (PITR) inherit the table's key, which ARCH-DDB-002 checks."""
    if not ctx.spec.security.data.backup_encryption:
        return not_applicable("the spec does not ask for backup encryption")
    prefixes = backup_prefixes(ctx.spec, bucket.path, [r.prefix for r in bucket.lifecycle_rules.values()])
    if not prefixes:
        return not_applicable("the bucket holds no backups")
    wants_kms = ctx.spec.security.data.encryption_at_rest == "aws:kms"
    if bucket.encryption == "kms" or (bucket.encryption == "s3_managed" and not wants_kms):
        return passed(
            f"backups under {', '.join(prefixes)} encrypted ({bucket.encryption})", attribute="encryption"
        )
    return failed(
        f"backups under {', '.join(prefixes)} are stored with encryption {bucket.encryption}",
        attribute="encryption",
        expected="kms" if wants_kms else "s3_managed or kms",
        actual=bucket.encryption,
    )
