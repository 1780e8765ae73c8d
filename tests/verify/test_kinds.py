"""The kind table: one registry built from the kind modules feeds desired states, severities and the IAM
policy; table class (a cost lever) is checked like any other attribute."""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.spec import load_spec
from archkit.spec.inventory import resources
from archkit.verify import kinds
from archkit.verify.desired import desired_by_path
from archkit.verify.drift import compare
from archkit.verify.iam_policy import READ_OPERATIONS, policy_document
from archkit.verify.kinds.dynamodb_table import TableState
from shared import spec_variant

SRC_KINDS = Path(__file__).resolve().parents[2] / "src" / "archkit" / "verify" / "kinds"
REFERENCE = Path(__file__).resolve().parents[2] / "specs" / "reference.yaml"


def test_every_kind_module_is_registered_once() -> None:
    modules = sorted(p.stem for p in SRC_KINDS.glob("*.py") if p.stem not in ("__init__", "base", "reading"))
    assert [k.name for k in kinds.all_kinds()] == modules
    assert kinds.kind_of("AWS::DynamoDB::GlobalTable") is kinds.kind_of("AWS::DynamoDB::Table")
    assert kinds.state_by_cfn_type()["AWS::DynamoDB::Table"] is TableState


def test_every_declared_resource_of_the_reference_has_a_kind() -> None:
    declared = {r.type for r in resources(load_spec(REFERENCE))}
    without = sorted(t for t in declared if kinds.kind_of(t) is None)
    assert without == [], "declared but no kind reads them"


def test_the_iam_policy_is_the_union_of_the_kinds_reads() -> None:
    table = kinds.kind_of("AWS::DynamoDB::Table")
    assert table is not None and table.name == "dynamodb_table"
    for service, operations in table.reads.items():
        assert set(operations) <= set(READ_OPERATIONS[service]), service
    actions = policy_document()["Statement"][0]["Action"]  # type: ignore[index]
    assert "dynamodb:DescribeContinuousBackups" in actions
    assert "application-autoscaling:DescribeScalableTargets" in actions
    assert READ_OPERATIONS["sts"] == ("GetCallerIdentity",)  # the run's own call, not a kind's


@pytest.mark.parametrize(
    ("resource_type", "attribute", "severity"),
    [
        ("AWS::DynamoDB::Table", "point_in_time_recovery", "high"),
        ("AWS::DynamoDB::Table", "table_class", "medium"),
        ("AWS::DynamoDB::Table", "tags.Project", "low"),
        ("AWS::S3::Bucket", "public_access_block.block_public_acls", "high"),
        ("AWS::ApiGateway::RestApi", "methods[GET /api/users].authorizer", "high"),
        ("AWS::ApiGateway::RestApi", "methods[GET /api/users].function", "medium"),
        ("AWS::Lambda::Function", "memory", "medium"),
        ("AWS::Unknown::Thing", "encryption", "medium"),
    ],
)
def test_severity_comes_from_the_kind(resource_type: str, attribute: str, severity: str) -> None:
    assert kinds.severity_of(resource_type, attribute) == severity


def test_table_class_follows_the_spec_and_its_drift_is_reported() -> None:
    """Static path: moto 5.2 ignores TableClass (create and update), so the template deployer cannot hold a
    changed class; the desired state and the diff are checked here instead."""
    spec = spec_variant("tclass", tables__main__table_class="STANDARD_INFREQUENT_ACCESS")
    want = desired_by_path(spec)["tables.main"]
    assert isinstance(want, TableState) and want.table_class == "STANDARD_INFREQUENT_ACCESS"
    assert desired_by_path(load_spec(REFERENCE))["tables.main"].table_class == "STANDARD"  # type: ignore[attr-defined]

    have = want.model_copy(update={"table_class": "STANDARD"})  # switched back by hand in the console
    findings = [
        (f.kind, f.change, f.attribute, f.expected, f.actual, f.severity) for f in compare(want, have)
    ]
    assert findings == [
        ("drift", "changed", "table_class", "STANDARD_INFREQUENT_ACCESS", "STANDARD", "medium")
    ]
