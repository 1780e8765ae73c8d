"""ARCH-RDS-006: RDS databases accept IAM authentication."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-RDS-006",
    title="RDS databases accept IAM database authentication",
    severity="medium",
    layer="data",
    enforces="IAM Roles (Least Privilege) for database access",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation="Set `rds.iam_authentication: true` (the default).",
    counterparts=Counterparts(
        security_hub=("RDS.10",),
        checkov=("CKV_AWS_161",),
        prowler=("rds_instance_iam_authentication_enabled",),
        config=("rds-instance-iam-authentication-enabled",),
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """Short-lived IAM tokens let functions connect without a long-lived password in their code."""
    if not db.iam_authentication:
        return failed(
            "IAM database authentication is off", attribute="iam_authentication", expected=True, actual=False
        )
    return passed("IAM database authentication on", attribute="iam_authentication")
