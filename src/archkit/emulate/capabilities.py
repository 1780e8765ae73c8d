"""What the emulator (moto) cannot hold, declared once: the capabilities document the emulator serves at
``GET {endpoint}/_archkit/capabilities``.

verify, pointed at an endpoint, reads the document and reports every drift or compliance evaluation of a
matching attribute as ``not_checked`` with the reason; no code that reads real accounts knows about moto.
``attribute`` is an fnmatch pattern over verify's attribute paths of that resource type's state ("*": the
whole resource).

``DEPLOY_GAPS`` accounts for every property the deployer (``handlers/``) cannot apply as written: either it
is a ``GAPS`` entry (verify cannot check it here), or a detour that still leaves the account as the template
says (the handler applies it another way).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

CAPABILITIES_PATH = "/_archkit/capabilities"


@dataclass(frozen=True)
class EmulatorGap:
    """An attribute of a resource type the emulator cannot hold, so verify cannot check it there."""

    resource_type: str
    attribute: str
    reason: str


GAPS: tuple[EmulatorGap, ...] = (
    EmulatorGap(
        "AWS::S3::Bucket",
        "intelligent_tiering",
        "moto does not implement S3 Intelligent-Tiering configurations",
    ),
    EmulatorGap("AWS::CE::AnomalyMonitor", "*", "moto does not implement Cost Explorer anomaly monitors"),
    EmulatorGap(
        "AWS::EC2::SecurityGroup",
        "ingress[*prefix_list*]",
        "moto drops the descriptions of prefix-list rules",
    ),
    EmulatorGap(
        "AWS::EC2::SecurityGroup", "egress[*prefix_list*]", "moto drops the descriptions of prefix-list rules"
    ),
    EmulatorGap(
        "AWS::ApiGateway::RestApi",
        "methods[*].vpc_link",
        "moto drops an integration's connectionId (the VPC link it goes through)",
    ),
    EmulatorGap(
        "AWS::ApiGateway::RestApi",
        "methods[*].integration_target",
        "moto drops an integration's integrationTarget (the load balancer behind the VPC link)",
    ),
    EmulatorGap(
        "AWS::Budgets::Budget", "tags*", "moto's budgets backend keeps no tags (ResourceTags are not applied)"
    ),
    EmulatorGap(
        "AWS::Lambda::Function",
        "provisioned_concurrency",
        "moto implements no provisioned concurrency API (PutProvisionedConcurrencyConfig answers 404)",
    ),
    *(
        EmulatorGap(table_type, "table_class", "moto accepts TableClass but keeps no table class")
        for table_type in ("AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table")
    ),
)

DEPLOY_GAPS: dict[tuple[str, str], str] = {
    ("AWS::Lambda::Alias", "ProvisionedConcurrencyConfig"): "gap: provisioned_concurrency",
    ("AWS::S3::Bucket", "IntelligentTieringConfigurations"): "gap: intelligent_tiering",
    ("AWS::Budgets::Budget", "ResourceTags"): "gap: tags*",
    ("AWS::DynamoDB::Table", "PointInTimeRecoverySpecification.RecoveryPeriodInDays"): (
        "moto keeps no recovery window: only the AWS default (35 days) is held; verify reads no window"
    ),
    ("AWS::DynamoDB::GlobalTable", "PointInTimeRecoverySpecification.RecoveryPeriodInDays"): (
        "moto keeps no recovery window: only the AWS default (35 days) is held; verify reads no window"
    ),
    ("AWS::EC2::Instance", "DisableApiTermination"): (
        "detour: moto's RunInstances ignores it; applied by ModifyInstanceAttribute"
    ),
    ("AWS::S3::Bucket", "LoggingConfiguration"): (
        "detour: moto checks the log-delivery grant literally; applied under a temporary exact grant"
    ),
    ("AWS::SecretsManager::RotationSchedule", "RotationRules.ScheduleExpression"): (
        "detour: moto ignores `rate(N days)`; applied as AutomaticallyAfterDays=N"
    ),
}
"""(resource type, template property) a handler records as a `Gap` -> why that is fine here."""

SKIPPED_TYPES: dict[str, str] = {
    "AWS::CDK::Metadata": "CDK's version-reporting metadata; creates nothing",
    "AWS::CE::AnomalyMonitor": "moto implements no Cost Explorer anomaly API (a gap: see GAPS)",
    "AWS::CE::AnomalySubscription": "moto implements no Cost Explorer anomaly API (part of the monitor)",
    "AWS::ApiGateway::Account": "the account-wide API Gateway logging role; verify reads no account settings",
}
"""Resource types the deployer does not create, and why (nothing else is skipped: a type without a
handler is an error)."""


def document() -> dict[str, Any]:
    """The capabilities document: the emulator's name and version, and its gaps."""
    from importlib.metadata import version

    return {"emulator": f"moto {version('moto')}", "gaps": [asdict(g) for g in GAPS]}
