"""ARCH-RDS-005: RDS databases have a standby in a second zone where the spec asks for high availability."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="ARCH-RDS-005",
    title="RDS databases are Multi-AZ where the network is highly available",
    severity="medium",
    layer="data",
    enforces="Private Subnets across AZ1, AZ2, AZ3 (high availability)",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation=(
        "Set `rds.multi_az: true`, or `network.high_availability: false` where a single-zone database is "
        "acceptable (e.g. dev)."
    ),
    counterparts=Counterparts(
        security_hub=("RDS.5",),
        cdk_nag=("NIST.800.53.R5-RDSMultiAZSupport", "HIPAA.Security-RDSMultiAZSupport"),
        checkov=("CKV_AWS_157",),
        prowler=("rds_instance_multi_az",),
        config=("rds-multi-az-support",),
    ),
    differences=(
        "cdk-nag's NIST/HIPAA packs and Security Hub RDS.5 ask every instance for Multi-AZ; archkit asks it "
        "only of a spec with `network.high_availability: true`, like one NAT gateway per zone (ARCH-VPC-003)."
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """A zone outage fails over to the standby instead of taking the database down."""
    if not ctx.spec.network.high_availability:
        return not_applicable("the spec does not ask for high availability")
    if not db.multi_az:
        return failed("single-AZ database", attribute="multi_az", expected=True, actual=False)
    return passed("standby in a second zone", attribute="multi_az")
