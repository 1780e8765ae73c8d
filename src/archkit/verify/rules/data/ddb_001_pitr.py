"""ARCH-DDB-001: DynamoDB tables have point-in-time recovery."""

from __future__ import annotations

from archkit.verify.kinds.dynamodb_table import TableState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-DDB-001",
    title="DynamoDB tables have point-in-time recovery",
    severity="medium",
    layer="data",
    enforces="Point-in-Time Recovery (Backup Encryption)",
    applies_to=TableState,
    resource_type="AWS::DynamoDB::Table",
    remediation="Set `point_in_time_recovery: true` on the table.",
    counterparts=Counterparts(
        security_hub=("DynamoDB.2",),
        cdk_nag=("AwsSolutions-DDB3", "NIST.800.53.R5-DynamoDBPITREnabled"),
        checkov=("CKV_AWS_28", "CKV_AWS_165"),
        prowler=("dynamodb_tables_pitr_enabled",),
        config=("dynamodb-pitr-enabled",),
    ),
    differences=(
        "cdk-nag AwsSolutions-DDB3 inspects `AWS::DynamoDB::Table` only: a global table (a table with "
        "`replicas`, as the seed's multi-region main table) without PITR passes cdk-nag; archkit checks both."
    ),
)
def check(table: TableState, ctx: RuleContext) -> Outcome:
    """Continuous backups let the table be restored to any second of the recovery
    window (DynamoDB's maximum, set by the CDK app)."""
    if table.point_in_time_recovery:
        return passed("PITR on", attribute="point_in_time_recovery")
    return failed(
        "point-in-time recovery is off", attribute="point_in_time_recovery", expected=True, actual=False
    )
