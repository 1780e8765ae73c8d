"""`archkit diff` without synthesis: no change, whitespace, bad sides, exit codes, the JSON schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_diff
from .mutations import (
    DEV_MEMORY,
    GRANT_WIDENED,
    PITR_OFF,
    REFERENCE,
    RENAME_LOGS_BUCKET,
    ROUTE_ADDED,
    SORT_KEY,
    SUPPRESSION_ADDED,
    WHITESPACE_AND_COMMENT,
    apply,
)


@pytest.fixture
def pair(tmp_path: Path):
    def make(edits: list[tuple[str, str, int]]) -> tuple[str, str]:
        head = tmp_path / "head.yaml"
        head.write_text(apply(REFERENCE.read_text(encoding="utf-8"), edits), encoding="utf-8")
        return str(REFERENCE), str(head)

    return make


def test_unchanged_spec_exits_0_with_no_changes() -> None:
    run = run_diff(str(REFERENCE), str(REFERENCE), "--fail-on", "any")
    assert run.code == 0
    assert "no changes" in run.stdout


def test_whitespace_and_comment_change_reports_nothing(pair) -> None:
    base, head = pair(WHITESPACE_AND_COMMENT)
    run = run_diff(base, head, "--format", "json", "--fail-on", "any")
    assert run.code == 0, run.stdout
    report = run.json()
    assert report["changes"] == [] and report["settings"] == [] and report["consequences"] == []


def test_bad_yaml_on_one_side_exits_2_naming_the_side(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: shop\nnetwork: [\n", encoding="utf-8")
    run = run_diff(str(REFERENCE), str(bad))
    assert run.code == 2
    assert f"HEAD ({bad}) has 1 problem" in run.stderr
    assert f"{bad}:3:1:" in run.stderr
    assert "Traceback" not in run.stderr


def test_unknown_revision_exits_2_naming_the_side() -> None:
    run = run_diff("no-such-revision", "--spec", str(REFERENCE))
    assert run.code == 2
    assert "BASE (no-such-revision:specs/reference.yaml)" in run.stderr


def test_fail_on_counts_only_classes_at_or_above(pair) -> None:
    base, head = pair(PITR_OFF)
    assert run_diff(base, head, "--fail-on", "security").code == 1
    assert run_diff(base, head, "--fail-on", "destructive").code == 0
    assert run_diff(base, head).code == 0


def test_json_schema_is_stable(pair) -> None:
    base, head = pair(PITR_OFF)
    report = run_diff(base, head, "--format", "json").json()
    assert list(report) == [
        "schema_version",
        "base",
        "head",
        "environment",
        "synthesized",
        "summary",
        "changes",
        "settings",
        "consequences",
        "diagrams",
    ]
    assert report["schema_version"] == 1
    assert report["summary"] == {
        "added": 0,
        "removed": 0,
        "renamed": 0,
        "changed": 1,
        "destructive": 0,
        "security": 1,
        "availability": 1,
        "cost": 0,
    }
    (rule,) = [c for c in report["consequences"] if c["rule_id"]]
    assert list(rule) == [
        "class",
        "effect",
        "resource",
        "message",
        "attribute",
        "old",
        "new",
        "rule_id",
        "cfn_property",
        "data_lost",
    ]
    assert (rule["class"], rule["rule_id"], rule["resource"]) == ("security", "ARCH-DDB-001", "tables.main")


def test_widened_grant_is_a_worse_security_change(pair) -> None:
    base, head = pair(GRANT_WIDENED)
    report = run_diff(base, head, "--format", "json").json()
    widened = [c for c in report["consequences"] if c["message"].startswith("IAM grant widened")]
    assert {(c["resource"], c["attribute"], c["old"], c["new"], c["effect"]) for c in widened} == {
        (f"functions.{key}", "grants.tables.main.access", "read", "read_write", "worse")
        for key in ("get_user", "get_items", "auth", "process_stream")
    }


def test_added_suppression_is_a_security_change_naming_the_rule(pair) -> None:
    base, head = pair(PITR_OFF + SUPPRESSION_ADDED)
    report = run_diff(base, head, "--format", "json").json()
    security = [c for c in report["consequences"] if c["class"] == "security"]
    assert [(c["resource"], c["rule_id"], c["effect"]) for c in security] == [
        ("compliance.suppressions", "ARCH-DDB-001", "worse")
    ]  # and ARCH-DDB-001 does not newly fail: it is suppressed
    assert "restored from backups nightly" in security[0]["message"]


def test_new_route_is_added_with_its_function(pair) -> None:
    base, head = pair(ROUTE_ADDED)
    report = run_diff(base, head, "--format", "json").json()
    added = [(c["kind"], c["path"], c["name"]) for c in report["changes"] if c["kind"] == "added"]
    assert added == [("added", "functions.list_orders", "shop-prod-list-orders")]
    (api,) = [c for c in report["changes"] if c["path"] == "api"]
    assert {"attribute": "routes./api/orders.GET.function", "old": None, "new": "list_orders"} in api[
        "attributes"
    ]


def test_env_selects_the_environment_on_both_sides(pair) -> None:
    base, head = pair(DEV_MEMORY)
    prod = run_diff(base, head, "--format", "json").json()
    assert prod["environment"] == "prod" and prod["changes"] == [] and prod["consequences"] == []
    dev = run_diff(base, head, "--format", "json", "--env", "dev").json()
    memory = {(c["resource"], c["old"], c["new"]) for c in dev["consequences"] if c["attribute"] == "memory"}
    assert ("functions.get_user", 256, 512) in memory and ("functions.authorizer", 256, 512) in memory


def test_default_diff_never_imports_cdk(pair) -> None:
    """Without --synth and --diagram, a diff runs on the spec layer: aws_cdk and jsii are never imported."""
    import subprocess
    import sys

    base, head = pair(SORT_KEY)
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from archkit.cli import app\n"
        f"result = CliRunner().invoke(app, ['diff', {base!r}, {head!r}, '--format', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        'assert \'"cfn_property": "KeySchema"\' in result.stdout, result.stdout\n'
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'constructs')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_key_schema_change_is_destructive_without_synthesis(pair) -> None:
    base, head = pair(SORT_KEY)
    report = run_diff(base, head, "--format", "json", "--fail-on", "destructive")
    assert report.code == 1
    data = report.json()
    assert data["synthesized"] is False
    (table,) = [c for c in data["consequences"] if c["class"] == "destructive"]
    assert (table["resource"], table["cfn_property"], table["attribute"], table["old"], table["new"]) == (
        "tables.main",
        "KeySchema",
        "sort_key.name",
        "item_id",
        "sku",
    )
    assert "may be replaced" in table["message"] and "TableName unchanged" in table["message"]
    (change,) = data["changes"]
    assert change["replacements"] == [
        {
            "stack": None,
            "logical_id": None,
            "resource_type": "AWS::DynamoDB::GlobalTable",
            "properties": ["KeySchema"],
            "conditional": True,
        }
    ]


def test_bucket_key_rename_deletes_the_bucket_without_synthesis(pair) -> None:
    base, head = pair(RENAME_LOGS_BUCKET)
    data = run_diff(base, head, "--format", "json").json()
    (bucket,) = [c for c in data["consequences"] if c["class"] == "destructive"]
    assert bucket["resource"] == "buckets.logs"
    assert "shop-prod-logs is renamed to buckets.access_logs (shop-prod-access-logs)" in bucket["message"]
    assert bucket["data_lost"] == "every object in the bucket"


def test_project_rename_replaces_every_named_stateful_resource(pair) -> None:
    base, head = pair([("project: shop\n", "project: store\n", 1)])
    data = run_diff(base, head, "--format", "json").json()
    destructive = {
        (c["resource"], c["cfn_property"], c["new"])
        for c in data["consequences"]
        if c["class"] == "destructive"
    }
    assert ("tables.main", "TableName", "store-prod-main") in destructive
    assert ("buckets.assets", "BucketName", "store-prod-assets") in destructive
    assert ("rds", "DBInstanceIdentifier", "store-prod-db") in destructive
    assert ("secrets.jwt_secret", "Name", "store-prod-jwt-secret") in destructive


def test_rds_engine_change_may_replace_the_database(pair) -> None:
    edits = [
        ('engine: postgres\n  engine_version: "16.10"\n', 'engine: mysql\n  engine_version: "8.0.39"\n', 1)
    ]
    base, head = pair(edits)
    data = run_diff(base, head, "--format", "json").json()
    (rds,) = [c for c in data["consequences"] if c["class"] == "destructive"]
    assert (rds["resource"], rds["cfn_property"], rds["attribute"]) == ("rds", "Engine", "engine")
    assert rds["data_lost"] == "the database"


def test_replicas_emptied_changes_the_table_type(pair) -> None:
    base, head = pair([("    replicas: [us-west-2]\n", "    replicas: []\n", 1)])
    data = run_diff(base, head, "--format", "json").json()
    (table,) = [c for c in data["consequences"] if c["class"] == "destructive"]
    assert (table["resource"], table["cfn_property"]) == ("tables.main", "Type")
    assert "AWS::DynamoDB::Table shop-prod-main is replaced (its type changes)" in table["message"]
