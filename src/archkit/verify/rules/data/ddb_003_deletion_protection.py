"""ARCH-DDB-003: DynamoDB tables are protected from deletion."""

from __future__ import annotations

from archkit.verify.kinds.dynamodb_table import TableState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-DDB-003",
    title="DynamoDB tables have deletion protection",
    severity="medium",
    layer="data",
    enforces="Backup Encryption (the data outlives a mistaken delete)",
    applies_to=TableState,
    resource_type="AWS::DynamoDB::Table",
    remediation=(
        "Set `deletion_protection: true` on the table; for a throw-away environment suppress this rule in "
        "`compliance.suppressions` with that reason."
    ),
    counterparts=Counterparts(
        security_hub=("DynamoDB.6",),
        prowler=("dynamodb_table_deletion_protection_enabled",),
        config=("dynamodb-table-deletion-protection-enabled",),
    ),
)
def check(table: TableState, ctx: RuleContext) -> Outcome:
    """A protected table (every replica of a global table) cannot be deleted until the protection is off."""
    if not table.deletion_protection:
        return failed(
            "deletion protection is off", attribute="deletion_protection", expected=True, actual=False
        )
    return passed("deletion protection on", attribute="deletion_protection")
