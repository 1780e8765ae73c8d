"""ARCH-RDS-004: RDS databases are protected from deletion."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-RDS-004",
    title="RDS databases have deletion protection",
    severity="low",
    layer="data",
    enforces="Backup Encryption (the data outlives a mistaken delete)",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation=(
        "Set `rds.deletion_protection: true` (the default); for a throw-away environment suppress this rule "
        "in `compliance.suppressions` with that reason."
    ),
    counterparts=Counterparts(
        security_hub=("RDS.8",),
        cdk_nag=("AwsSolutions-RDS10",),
        prowler=("rds_instance_deletion_protection",),
        config=("rds-instance-deletion-protection-enabled",),
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """A protected instance cannot be deleted until the protection is switched off."""
    if not db.deletion_protection:
        return failed(
            "deletion protection is off", attribute="deletion_protection", expected=True, actual=False
        )
    return passed("deletion protection on", attribute="deletion_protection")
