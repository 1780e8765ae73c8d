"""ARCH-DDB-002: DynamoDB tables use the key type the spec asks (a customer key if sensitive)."""

from __future__ import annotations

from archkit.verify.kinds.dynamodb_table import TableState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.verify.rules.common import spec_entry

KEY_STRENGTH = {"aws_owned": 0, "aws_managed": 1, "customer_managed": 2}
"""Control over the key: AWS-owned < AWS-managed KMS key < customer-managed KMS key."""


@rule(
    id="ARCH-DDB-002",
    title="DynamoDB tables use the encryption key type the spec asks (customer KMS key when sensitive)",
    severity="high",
    layer="data",
    enforces="Encryption at Rest, KMS Key Management",
    applies_to=TableState,
    resource_type="AWS::DynamoDB::Table",
    remediation=(
        "Set `encryption: customer_managed` and `kms_key: <key of security.kms_keys>` on tables marked "
        "`sensitive: true`; otherwise deploy the `encryption` the spec states."
    ),
    counterparts=Counterparts(
        checkov=("CKV_AWS_119",),
        prowler=("dynamodb_tables_kms_cmk_encryption_enabled",),
        config=("dynamodb-table-encrypted-kms",),
    ),
    differences=(
        "cdk-nag leaves this unimplemented (DynamoDB always encrypts at rest); archkit checks the key type, "
        "since a sensitive table under an AWS-owned key cannot be audited or revoked in KMS."
    ),
)
def check(table: TableState, ctx: RuleContext) -> Outcome:
    """The required key type is the spec's `encryption`, raised to `customer_managed` for a table marked
    `sensitive`. A stronger key than required passes."""
    declared = spec_entry(ctx.spec, table.path)
    required = declared.encryption if declared is not None else "aws_owned"
    if declared is not None and declared.sensitive:
        required = "customer_managed"
    if KEY_STRENGTH[table.encryption] >= KEY_STRENGTH[required]:
        return passed(f"{table.encryption} ({table.kms_key or 'no customer key'})", attribute="encryption")
    why = " (the table is sensitive)" if declared is not None and declared.sensitive else ""
    return failed(
        f"encrypted with a {table.encryption} key, {required} required{why}",
        attribute="encryption",
        expected=required,
        actual=table.encryption,
    )
