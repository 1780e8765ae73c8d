"""ARCH-RDS-003: RDS databases keep automated backups for at least seven days."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.wording import count

MINIMUM_RETENTION_DAYS = 7
"""Security Hub RDS.11's default `backupRetentionMinimum`."""


@rule(
    id="ARCH-RDS-003",
    title="RDS databases keep automated backups for at least 7 days",
    severity="medium",
    layer="data",
    enforces="Backup Encryption (automated backups)",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation=f"Set `rds.backup_retention_days` to {MINIMUM_RETENTION_DAYS} or more (at most 35).",
    counterparts=Counterparts(
        security_hub=("RDS.11",),
        cdk_nag=("NIST.800.53.R5-RDSInstanceBackupEnabled", "HIPAA.Security-RDSInstanceBackupEnabled"),
        prowler=("rds_instance_backup_enabled",),
        config=("db-instance-backup-enabled",),
    ),
    differences=(
        "cdk-nag's RDSInstanceBackupEnabled accepts any retention of a day or more; archkit asks for 7 days, "
        "Security Hub RDS.11's default minimum."
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """Retention 0 turns automated backups (and point-in-time restore) off."""
    if db.backup_retention_days < MINIMUM_RETENTION_DAYS:
        return failed(
            f"automated backups kept {count(db.backup_retention_days, 'day')}",
            attribute="backup_retention_days",
            expected=f">= {MINIMUM_RETENTION_DAYS}",
            actual=db.backup_retention_days,
        )
    return passed(f"backups kept {count(db.backup_retention_days, 'day')}", attribute="backup_retention_days")
