"""ARCH-RDS-001: RDS databases encrypt their storage, with the spec's customer key."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-RDS-001",
    title="RDS databases encrypt their storage at rest",
    severity="high",
    layer="data",
    enforces="Encryption at Rest (AES-256)",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation=(
        "Storage encryption cannot be switched on in place: restore an encrypted copy of a snapshot and "
        "point the functions at it. Name the key in `rds.kms_key` (a key of `security.kms_keys`)."
    ),
    counterparts=Counterparts(
        security_hub=("RDS.3",),
        cdk_nag=("AwsSolutions-RDS2", "NIST.800.53.R5-RDSStorageEncrypted"),
        checkov=("CKV_AWS_16",),
        prowler=("rds_instance_storage_encrypted",),
        config=("rds-storage-encrypted",),
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """Encrypted storage covers the instance's volumes, automated backups, snapshots and read replicas."""
    if not db.storage_encrypted:
        return failed("storage is not encrypted", attribute="storage_encrypted", expected=True, actual=False)
    return passed(f"encrypted with {db.kms_key or 'the aws/rds key'}", attribute="storage_encrypted")
