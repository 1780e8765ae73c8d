"""cdk-nag: archkit acknowledges what its own constructs cause by design, per resource with the reason; a user
writes suppressions only for their own decisions, and one decision is one suppression.

A new spec written from the docs (tests/fixtures/specs/good/no_suppressions.yaml) generates with no
suppressions at all; the reference's acknowledgments are read back from the cloud assembly's metadata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archkit.spec import load_spec
from shared import ROOT, synthesized

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]

NO_SUPPRESSIONS = ROOT / "tests" / "fixtures" / "specs" / "good" / "no_suppressions.yaml"


def acknowledged(cdk_out: Path) -> dict[tuple[str, str], str]:
    """(construct path, acknowledged cdk-nag finding id) -> reasons (joined by ' | '), from the metadata."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(cdk_out.glob("*.metadata.json")):
        for construct, entries in json.loads(path.read_text(encoding="utf-8")).items():
            for entry in entries:
                if entry.get("type") == "aws:cdk:acknowledged-rules":
                    for key, reason in entry["data"].items():
                        if not key.startswith("Annotation::AwsSolutions-"):
                            continue  # CDK's own validations (explicit zones), not cdk-nag
                        where = (construct.strip("/"), key.removeprefix("Annotation::"))
                        found[where] = f"{found[where]} | {reason}" if where in found else reason
    return found


@pytest.fixture(scope="module")
def no_suppressions(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    out = synthesized(tmp_path_factory, "no-suppressions", NO_SUPPRESSIONS)
    return acknowledged(out / "cdk.out")


@pytest.fixture(scope="module")
def reference_acks(reference_generated: Path) -> dict[tuple[str, str], str]:
    return acknowledged(reference_generated / "cdk.out")


def test_a_spec_from_the_docs_generates_without_suppressions(no_suppressions):
    spec = load_spec(NO_SUPPRESSIONS)
    assert spec.compliance.suppressions == [] and spec.compliance.nag_suppressions == []
    # It generated (synthesized above: an unacknowledged finding would have raised NagViolations), and
    # every acknowledgment in it is archkit's own, on the construct that causes it.
    assert sorted(no_suppressions) == [
        ("ledger-prod-application/Api/RestApi/CloudWatchRole",
         "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
         "AmazonAPIGatewayPushToCloudWatchLogs]"),
        ("ledger-prod-application/Api/RestApi/Default/entries/GET", "AwsSolutions-COG4"),
        ("ledger-prod-application/Compute/Function-authorize", "AwsSolutions-IAM5[Resource::*]"),
        ("ledger-prod-application/Compute/Function-authorize", "AwsSolutions-L1"),
        ("ledger-prod-application/Compute/Function-list_entries", "AwsSolutions-IAM5[Resource::*]"),
        ("ledger-prod-application/Compute/Function-list_entries", "AwsSolutions-L1"),
        ("ledger-prod-data/Data/Buckets/Bucket-logs", "AwsSolutions-S1"),
        ("ledger-prod-data/ExecutionRoles/Role-list_entries",
         "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:eu-west-1:<AWS::AccountId>:table/"
         "ledger-ledger-entries/index/*]"),
        ("ledger-prod-data/ExecutionRoles/Role-list_entries",
         "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::ledger-prod-documents-<AWS::AccountId>/"
         "receipts/*]"),
    ]  # fmt: skip


def test_each_acknowledgment_gives_its_reason(no_suppressions):
    role = "ledger-prod-data/ExecutionRoles/Role-list_entries"
    index = next(v for (path, rule), v in no_suppressions.items() if path == role and "index/*" in rule)
    assert "tables.entries includes its global secondary indexes" in index
    prefix = next(v for (path, rule), v in no_suppressions.items() if path == role and "receipts/*" in rule)
    assert prefix.startswith("object grants on buckets.documents are limited to the prefixes receipts/")
    wildcard = no_suppressions[
        ("ledger-prod-application/Compute/Function-list_entries", "AwsSolutions-IAM5[Resource::*]")
    ]
    assert "Lambda ENI management in the VPC" in wildcard and "X-Ray trace upload" in wildcard
    assert "dynamodb:ListStreams" not in wildcard  # list_entries consumes no stream
    cog = no_suppressions[("ledger-prod-application/Api/RestApi/Default/entries/GET", "AwsSolutions-COG4")]
    assert cog.startswith("GET /entries is authorized by the Lambda authorizer api.authorizers.token")


def test_reference_acknowledges_its_own_patterns_per_resource(reference_acks):
    roles = {path for path, rule in reference_acks if rule == "AwsSolutions-IAM5[Resource::*]"}
    # Per construct now, no longer app-wide on every stack.
    assert "shop-prod-network" not in roles and "shop-prod-application" not in roles
    assert "shop-prod-application/Compute/Function-process_stream" in roles
    reason = reference_acks[
        ("shop-prod-application/Compute/Function-process_stream", "AwsSolutions-IAM5[Resource::*]")
    ]
    assert "dynamodb:ListStreams for the stream poller" in reason
    index = [
        path
        for path, rule in reference_acks
        if rule.endswith(":table/shop-prod-main/index/*]") and rule.startswith("AwsSolutions-IAM5[")
    ]
    assert index and all(p.startswith("shop-prod-data/ExecutionRoles/Role-") for p in index)


def test_one_decision_one_suppression(reference_acks):
    """The reference's archkit suppressions also acknowledge their cdk-nag counterparts, with their reasons
    (the doubled nag entries were removed from the spec, the templates' acknowledgments are the same)."""
    spec = load_spec(ROOT / "specs" / "reference.yaml")
    reasons = {s.rule: s.reason for s in spec.compliance.suppressions}
    assert not any(
        n.rule in ("AwsSolutions-SMG4", "AwsSolutions-S1") for n in spec.compliance.nag_suppressions
    )
    smg4 = [r for (p, rule), r in reference_acks.items() if rule == "AwsSolutions-SMG4"]
    s1 = [(p, r) for (p, rule), r in reference_acks.items() if rule == "AwsSolutions-S1"]
    assert smg4 and all(r == reasons["ARCH-SMG-001"] for r in smg4)
    assert any(
        reasons["ARCH-S3-005"] in r for p, r in s1 if p.startswith("shop-prod-data/Data/Buckets/Bucket-logs")
    )
