"""`--format asff`: findings in the AWS Security Finding Format, as `BatchImportFindings` takes them.

Each finding's `Id` is stable across runs (project, deployment, check, resource, attribute), so importing
the same drift again updates the finding in Security Hub instead of adding one. The product is the default
product of the finding's own account: Security Hub accepts a custom product's finding only from the account
named in `AwsAccountId` (`archkit.verify.securityhub` imports it with that account's role).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from archkit.verify.findings import Finding, Report

SCHEMA_VERSION = "2018-10-08"
ID_PREFIX = "archkit"
ASFF_LABEL = {
    "critical": "CRITICAL",
    "high": "HIGH",
    "medium": "MEDIUM",
    "low": "LOW",
    "info": "INFORMATIONAL",
}
ASFF_NORMALIZED = {"critical": 90, "high": 70, "medium": 40, "low": 1, "info": 0}
"""Severity.Normalized per label, the middle of each label's range as Security Hub documents it."""

TYPES = {
    "compliance": "Software and Configuration Checks/AWS Security Best Practices/archkit compliance",
    "drift": "Software and Configuration Checks/Industry and Regulatory Standards/archkit drift",
    "not_checked": "Software and Configuration Checks/Vulnerabilities/archkit not checked",
}
"""ASFF `Types` (namespace/category/classifier) of each finding kind."""

RESOURCE_TYPES = {
    "AWS::ApiGateway::RestApi": "AwsApiGatewayRestApi",
    "AWS::ApiGateway::Stage": "AwsApiGatewayStage",
    "AWS::CloudFront::Distribution": "AwsCloudFrontDistribution",
    "AWS::DynamoDB::Table": "AwsDynamoDbTable",
    "AWS::EC2::Instance": "AwsEc2Instance",
    "AWS::EC2::SecurityGroup": "AwsEc2SecurityGroup",
    "AWS::EC2::Subnet": "AwsEc2Subnet",
    "AWS::EC2::VPC": "AwsEc2Vpc",
    "AWS::EC2::RouteTable": "AwsEc2RouteTable",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "AwsElbv2LoadBalancer",
    "AWS::IAM::Role": "AwsIamRole",
    "AWS::KMS::Key": "AwsKmsKey",
    "AWS::Lambda::Function": "AwsLambdaFunction",
    "AWS::Lambda::LayerVersion": "AwsLambdaLayerVersion",
    "AWS::RDS::DBInstance": "AwsRdsDbInstance",
    "AWS::S3::Bucket": "AwsS3Bucket",
    "AWS::SecretsManager::Secret": "AwsSecretsManagerSecret",
    "AWS::WAFv2::WebACL": "AwsWafv2WebAcl",
}
"""CloudFormation type -> ASFF resource type (`Other` for the rest)."""

MAX_TITLE, MAX_DESCRIPTION, MAX_OTHER = 256, 1024, 1024


def timestamp(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return now.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def product_arn(account: str, region: str) -> str:
    """The default (custom findings) product of an account in a region."""
    return f"arn:aws:securityhub:{region}:{account}:product/{account}/default"


def finding_id(project: str, deployment: dict[str, str], f: Finding) -> str:
    """Stable across runs for the same finding of the same deployment; readable prefix, hashed identity."""
    identity = [f.check_id, f.resource, f.attribute, f.change, f.reason is not None]
    digest = hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()[:24]
    return "/".join(
        (
            ID_PREFIX,
            project,
            deployment["environment"],
            deployment["account"],
            deployment["region"],
            f.check_id,
            digest,
        )
    )


def id_prefix(project: str, deployment: dict[str, str]) -> str:
    """The common prefix of every finding id of one deployment (what a re-run may resolve)."""
    return (
        "/".join((ID_PREFIX, project, deployment["environment"], deployment["account"], deployment["region"]))
        + "/"
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _title(f: Finding) -> str:
    if f.kind == "compliance":
        return f"{f.rule_id}: {f.title or f.message}"
    if f.kind == "drift":
        what = {"missing": "missing from the account", "unmanaged": "not declared in the spec"}
        return f"{f.resource}: {what.get(f.change or '', f'{f.attribute} differs from the spec')}"
    return f"{f.resource}: not checked ({f.reason})"


def _description(f: Finding) -> str:
    text = f.message
    if f.kind == "drift" and f.change == "changed":
        expected = json.dumps(f.expected, sort_keys=True, default=str)
        actual = json.dumps(f.actual, sort_keys=True, default=str)
        text += f" (expected {expected}, actual {actual})"
    return _clip(text, MAX_DESCRIPTION)


def _resource(f: Finding, region: str) -> dict[str, Any]:
    other = {"archkit:id": f.resource, "CloudFormationType": f.resource_type}
    if f.attribute:
        other["Attribute"] = f.attribute
    return {
        "Type": RESOURCE_TYPES.get(f.resource_type, "Other"),
        "Id": f.physical_id or f.resource,
        "Partition": "aws",
        "Region": region,
        "Details": {"Other": {k: _clip(v, MAX_OTHER) for k, v in other.items()}},
    }


def to_asff(
    f: Finding, report: Report, deployment: dict[str, str], *, now: str, created_at: str | None = None
) -> dict[str, Any]:
    """One finding as an ASFF object (``created_at``: when Security Hub first saw it, if it did)."""
    label = ASFF_LABEL[f.severity]
    severity = {"Label": label, "Normalized": ASFF_NORMALIZED[f.severity], "Original": f.severity}
    types = [TYPES[f.kind]]
    asff: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(report.project, deployment, f),
        "ProductArn": product_arn(deployment["account"], deployment["region"]),
        "ProductName": "archkit",
        "CompanyName": "archkit",
        "GeneratorId": f"{ID_PREFIX}/{f.check_id}",
        "AwsAccountId": deployment["account"],
        "Region": deployment["region"],
        "Types": types,
        "CreatedAt": created_at or now,
        "UpdatedAt": now,
        "Severity": severity,
        "FindingProviderFields": {"Severity": {"Label": label, "Original": f.severity}, "Types": types},
        "Title": _clip(_title(f), MAX_TITLE),
        "Description": _description(f),
        "Resources": [_resource(f, deployment["region"])],
        "RecordState": "ACTIVE",
        "ProductFields": {
            "archkit/project": report.project,
            "archkit/environment": deployment["environment"],
            "archkit/spec": report.spec,
            "archkit/kind": f.kind,
            "archkit/check": f.check_id,
        },
    }
    if f.kind == "compliance":
        asff["Compliance"] = {"Status": "FAILED"}
    elif f.kind == "not_checked":
        asff["Compliance"] = {
            "Status": "NOT_AVAILABLE",
            "StatusReasons": [{"ReasonCode": "NOT_AVAILABLE", "Description": _clip(f.message, 2048)}],
        }
    if f.suppressed:
        asff["Workflow"] = {"Status": "SUPPRESSED"}
        asff["Note"] = {
            "Text": _clip(f"suppressed in the spec: {f.suppression or ''}", 512),
            "UpdatedBy": "archkit",
            "UpdatedAt": now,
        }
    return asff


def asff_findings(
    reports: Sequence[tuple[dict[str, str], Report]], now: str | None = None
) -> list[dict[str, Any]]:
    """Every finding of every (deployment, report) as ASFF, in report order."""
    stamp = now or timestamp()
    return [
        to_asff(f, report, deployment, now=stamp) for deployment, report in reports for f in report.findings
    ]


def render_asff(reports: Sequence[tuple[dict[str, str], Report]], now: str | None = None) -> str:
    """``{"Findings": [...]}``: the request body of `BatchImportFindings` (batches of 100 when imported)."""
    return json.dumps({"Findings": asff_findings(reports, now)}, indent=2, ensure_ascii=False) + "\n"
