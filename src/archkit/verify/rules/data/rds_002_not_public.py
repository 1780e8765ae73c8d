"""ARCH-RDS-002: RDS databases are not publicly accessible."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-RDS-002",
    title="RDS databases are not publicly accessible",
    severity="critical",
    layer="data",
    enforces="RDS (Optional) in the private subnets",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation=(
        "Turn public accessibility off (`aws rds modify-db-instance --no-publicly-accessible`); archkit "
        "always deploys the database into the private subnets, reached by the functions with "
        "`database: true` and the bastion host."
    ),
    counterparts=Counterparts(
        security_hub=("RDS.2",),
        cdk_nag=("NIST.800.53.R5-RDSInstancePublicAccess", "HIPAA.Security-RDSInstancePublicAccess"),
        checkov=("CKV_AWS_17",),
        prowler=("rds_instance_no_public_access",),
        config=("rds-instance-public-access-check",),
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """A publicly accessible instance gets a public DNS name resolving to a public address."""
    if db.publicly_accessible:
        return failed(
            "the database is publicly accessible",
            attribute="publicly_accessible",
            expected=False,
            actual=True,
        )
    return passed("reachable from inside the VPC only", attribute="publicly_accessible")
