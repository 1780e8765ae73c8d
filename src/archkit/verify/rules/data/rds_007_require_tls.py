"""ARCH-RDS-007: the database refuses connections without TLS."""

from __future__ import annotations

from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-RDS-007",
    title="RDS databases require TLS (rds.force_ssl / require_secure_transport)",
    severity="high",
    layer="data",
    enforces="Encryption in transit (the seed's 'TLS everywhere' for the database)",
    applies_to=DbInstanceState,
    resource_type="AWS::RDS::DBInstance",
    remediation="Set `rds.require_tls: true` (archkit gives the database a parameter group forcing TLS).",
    counterparts=Counterparts(
        checkov=("CKV2_AWS_69",),
        prowler=("rds_instance_transport_encrypted",),
    ),
    differences=(
        "checkov CKV2_AWS_69 follows the instance to its `AWS::RDS::DBParameterGroup` in the template; "
        "archkit reads the parameter in the deployed group, so a group edited later is seen too."
    ),
)
def check(db: DbInstanceState, ctx: RuleContext) -> Outcome:
    """Without the parameter a client may connect in plain text inside the VPC; credentials and data then
    cross the network readable."""
    if not db.require_tls:
        return failed(
            "connections without TLS are accepted", attribute="require_tls", expected=True, actual=False
        )
    return passed("TLS required", attribute="require_tls")
