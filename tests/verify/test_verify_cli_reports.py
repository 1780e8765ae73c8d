"""The command line and the report formats: exit codes, --output, --static, --print-iam-policy, SARIF,
JUnit, and the least-privilege policy covering every call verify made in this session."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from archkit.spec import load_spec, spec_locations
from archkit.verify.desired import desired_states
from archkit.verify.findings import Finding, Report
from archkit.verify.iam_policy import READ_OPERATIONS, iam_actions, is_read_operation, policy_document
from archkit.verify.report import render

from .conftest import RECORDED, REFERENCE


def cli(*args: str):
    from archkit.cli import app

    return CliRunner().invoke(app, list(args))


def test_clean_account_exits_0_and_table_lists_unsupported(clean_run, endpoint):
    result = cli("verify", "--spec", str(REFERENCE), "--endpoint-url", endpoint, "--regions", "us-west-2")
    assert result.exit_code == 0, result.output
    checked = clean_run.report.summary.resources_checked
    assert f"{checked} resources checked: 0 drift, 0 compliance failures" in result.output
    assert "? not checked (unsupported)" in result.output


def test_drift_at_or_above_fail_on_exits_1(reference, endpoint, tmp_path):
    out = tmp_path / "r.sarif"
    base = ("verify", "--spec", str(REFERENCE), "--endpoint-url", endpoint, "--regions", "us-west-2")
    with reference.changed("pitr-off"):
        result = cli(*base, "--format", "sarif", "--output", str(out))
        below = cli(*base, "--fail-on", "critical", "--format", "json")
    assert result.exit_code == 1, result.output
    sarif = json.loads(out.read_text())
    results = sarif["runs"][0]["results"]
    drift = [r for r in results if r["ruleId"] == "ARCHKIT-DRIFT-CHANGED"]
    assert [r["properties"]["attribute"] for r in drift] == ["point_in_time_recovery"]
    line = spec_locations(REFERENCE)["tables.main.point_in_time_recovery"]
    assert drift[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    assert drift[0]["properties"]["security-severity"] == "8.0"
    # the same finding is below --fail-on critical: exit 0
    assert below.exit_code == 0, below.output


def test_static_mode_needs_no_account(tmp_path):
    out = tmp_path / "static.json"
    result = cli("verify", "--static", "--spec", str(REFERENCE), "--format", "json", "--output", str(out))
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(out.read_text())
    assert doc["mode"] == "static"
    assert doc["summary"]["resources_checked"] == len(desired_states(load_spec(REFERENCE)))
    assert all(f["kind"] == "compliance" for f in doc["findings"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--format", "xml"), "unknown --format 'xml'"),
        (("--fail-on", "severe"), "unknown --fail-on severity 'severe'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, needle):
    result = cli("verify", "--spec", str(REFERENCE), *args)
    assert result.exit_code == 2
    assert needle in result.output and "Traceback" not in result.output


def test_spec_error_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: shop\nowner: x\ntables: {main: {partition_kee: id}}\n")
    result = cli("verify", "--static", "--spec", str(bad))
    assert result.exit_code == 2
    assert "partition_kee" in result.output


def _sample_report() -> Report:
    findings = [
        Finding(
            kind="drift",
            change="changed",
            resource="tables.main",
            resource_type="AWS::DynamoDB::Table",
            physical_id="shop-prod-main",
            attribute="point_in_time_recovery",
            expected=True,
            actual=False,
            severity="high",
            message="point_in_time_recovery: expected true, found false",
        ),
        Finding(
            kind="compliance",
            rule_id="ARCH-S3-005",
            title="S3 buckets write server access logs",
            resource="buckets.logs",
            resource_type="AWS::S3::Bucket",
            physical_id="shop-prod-logs",
            severity="medium",
            message="off",
            suppressed=True,
            suppression="a log bucket does not log itself",
        ),
    ]
    return Report.build(
        spec="specs/reference.yaml",
        project="shop",
        environment="prod",
        region="us-east-1",
        mode="observed",
        findings=findings,
        checked=[("tables.main", "AWS::DynamoDB::Table"), ("buckets.logs", "AWS::S3::Bucket")],
        passed_checks=[("tables.main", "ARCH-DDB-001")],
    )


def test_junit_has_one_case_per_resource_and_check():
    root = ET.fromstring(render(_sample_report(), "junit"))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {
        "buckets.logs :: drift",
        "tables.main :: drift",
        "buckets.logs :: ARCH-S3-005",
        "tables.main :: ARCH-DDB-001",
    }
    assert cases["tables.main :: drift"].find("failure") is not None
    assert cases["buckets.logs :: ARCH-S3-005"].find("skipped") is not None
    assert cases["tables.main :: ARCH-DDB-001"].find("failure") is None
    assert root.get("failures") == "1"


def test_sarif_rules_and_suppressions():
    doc = json.loads(render(_sample_report(), "sarif", REFERENCE))
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["ARCH-S3-005", "ARCHKIT-DRIFT-CHANGED"]
    suppressed = next(r for r in run["results"] if r["ruleId"] == "ARCH-S3-005")
    assert suppressed["suppressions"] == [
        {"kind": "inSource", "justification": "a log bucket does not log itself"}
    ]
    report = _sample_report()
    assert report.summary.compliance_failures == 0
    assert report.worst_at_or_above("high") and not report.worst_at_or_above("critical")


def test_print_iam_policy():
    result = cli("verify", "--print-iam-policy")
    assert result.exit_code == 0
    assert json.loads(result.output) == policy_document()
    granted = {a for st in json.loads(result.output)["Statement"] for a in st["Action"]}
    # The resource policies (issue 14): who else may invoke a function, read a queue or a secret.
    assert {
        "lambda:GetPolicy",
        "sqs:GetQueueAttributes",
        "secretsmanager:GetResourcePolicy",
        "wafv2:GetLoggingConfiguration",
        "rds:DescribeDBParameters",
    } <= granted


def test_every_recorded_call_is_a_read_in_the_policy(clean_run):
    """Every API operation verify called in this session (botocore before-call hook) is a Describe/Get/List
    operation of the read-only policy, and the policy grants its IAM action."""
    policy = policy_document()
    granted = {a for st in policy["Statement"] for a in st["Action"]}
    assert len(RECORDED) >= 40
    for service, operation in sorted(RECORDED):
        assert operation in READ_OPERATIONS.get(service, ()), f"{service}:{operation} not in the policy"
        assert is_read_operation(operation), f"{service}:{operation} is not a read"
        for action in iam_actions(service, operation):
            assert action in granted, action
    assert not any(a.split(":")[1].startswith(("Put", "Create", "Delete", "Update")) for a in granted)
