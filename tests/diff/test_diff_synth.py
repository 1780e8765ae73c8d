"""`archkit diff` against a git revision with real synthesis of both sides: what is destructive, what it
costs, what it weakens, and the diagram of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Run, run_diff

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("diff")]


def consequences(report: dict[str, Any], cls: str, resource: str) -> list[dict[str, Any]]:
    return [c for c in report["consequences"] if c["class"] == cls and c["resource"] == resource]


def change(report: dict[str, Any], path: str) -> dict[str, Any]:
    (found,) = [c for c in report["changes"] if c["path"] == path]
    return found


def test_base_is_the_git_revision_of_the_working_spec(full_diff: tuple[Run, Path]) -> None:
    report = full_diff[0].json()
    assert report["base"] == "main:specs/reference.yaml"
    assert report["head"].endswith("specs/reference.yaml")
    assert report["environment"] == "prod"
    assert report["synthesized"] is True


def test_sort_key_change_replaces_the_table_naming_the_cloudformation_property(
    full_diff: tuple[Run, Path],
) -> None:
    report = full_diff[0].json()
    (table,) = consequences(report, "destructive", "tables.main")
    assert table["cfn_property"] == "KeySchema"
    assert (table["attribute"], table["old"], table["new"]) == ("sort_key.name", "item_id", "sku")
    assert table["data_lost"] == "every item in the table, in every replica region"
    assert "DataTablemain" in table["message"] and "TableName unchanged" in table["message"]
    replacement = change(report, "tables.main")["replacements"][0]
    assert replacement["resource_type"] == "AWS::DynamoDB::GlobalTable"
    assert replacement["properties"] == ["KeySchema"]
    assert replacement["conditional"] is True  # KeySchema is conditionally create-only in the schema


def test_bucket_rename_is_destructive(full_diff: tuple[Run, Path]) -> None:
    report = full_diff[0].json()
    renamed = change(report, "buckets.access_logs")
    assert renamed["kind"] == "renamed"
    assert (renamed["old_path"], renamed["old_name"], renamed["name"]) == (
        "buckets.logs",
        "shop-prod-logs",
        "shop-prod-access-logs",
    )
    (bucket,) = consequences(report, "destructive", "buckets.logs")
    assert bucket["data_lost"] == "every object in the bucket"
    assert "renamed to buckets.access_logs" in bucket["message"]
    assert "DeletionPolicy Retain" in bucket["message"]
    # the rename itself brings no attribute noise: the bucket's body is the same
    assert consequences(report, "security", "buckets.access_logs") == []


def test_memory_change_is_a_cost_with_old_and_new(full_diff: tuple[Run, Path]) -> None:
    report = full_diff[0].json()
    (cost,) = consequences(report, "cost", "functions.get_user")
    assert (cost["attribute"], cost["old"], cost["new"], cost["effect"]) == ("memory", 512, 1024, "worse")
    assert change(report, "functions.get_user")["attributes"] == [
        {"attribute": "memory", "old": 512, "new": 1024}
    ]


def test_fewer_nat_gateways_is_cost_and_availability(full_diff: tuple[Run, Path]) -> None:
    report = full_diff[0].json()
    nat = [
        c for c in report["consequences"] if c["resource"] == "network" and c["attribute"] == "nat_gateways"
    ]
    assert {(c["class"], c["effect"], c["old"], c["new"]) for c in nat} == {
        ("cost", "better", 3, 1),
        ("availability", "worse", 3, 1),
    }
    removed = {c["path"] for c in report["changes"] if c["kind"] == "removed"}
    assert removed == {"network.nat_gateways.1", "network.nat_gateways.2"}
    assert {"attribute": "network.nat_gateways", "old": 3, "new": 1} in report["settings"]


def test_pitr_off_makes_the_rule_newly_fail(full_diff: tuple[Run, Path]) -> None:
    report = full_diff[0].json()
    rules = {c["rule_id"]: c for c in report["consequences"] if c["rule_id"]}
    assert rules["ARCH-DDB-001"]["class"] == "security"
    assert rules["ARCH-DDB-001"]["resource"] == "tables.main"
    assert rules["ARCH-DDB-001"]["effect"] == "worse"
    assert rules["ARCH-VPC-003"]["resource"] == "network.vpc"  # one NAT for three AZs
    (pitr,) = [
        c
        for c in consequences(report, "availability", "tables.main")
        if c["attribute"] == "point_in_time_recovery"
    ]
    assert (pitr["old"], pitr["new"]) == (True, False)


def test_destructive_changes_come_first(full_diff: tuple[Run, Path]) -> None:
    classes = [c["class"] for c in full_diff[0].json()["consequences"]]
    assert classes[:2] == ["destructive", "destructive"]
    assert classes == sorted(classes, key=["destructive", "security", "availability", "cost"].index)


def test_fail_on_destructive_exits_1_and_markdown_leads_with_it(spec_repo: Path) -> None:
    spec = str(spec_repo / "specs" / "reference.yaml")
    run = run_diff("main", "--spec", spec, "--format", "markdown", "--fail-on", "destructive")
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == f"### archkit diff: `main:specs/reference.yaml` → `{spec}` (prod)"
    caution = lines.index("> [!CAUTION]")
    assert lines[caution + 2].startswith("> - `buckets.logs`:")
    assert lines[caution + 3].startswith("> - `tables.main`:")
    assert "<details><summary>Resources (7)</summary>" in lines


def test_diagram_marks_the_changed_node_with_its_badge(full_diff: tuple[Run, Path]) -> None:
    run, out = full_diff
    assert sorted(run.json()["diagrams"]) == sorted(str(p) for p in out.iterdir())
    dynamodb = (out / "dynamodb.mmd").read_text(encoding="utf-8")
    line = next(x for x in dynamodb.splitlines() if x.strip().startswith("n_tables_main["))
    assert line.endswith('[Δ changed]"]')
    assert "classDef changed" in dynamodb
    s3 = (out / "s3.mmd").read_text(encoding="utf-8")
    assert 'n_buckets_access_logs["shop-prod-access-logs/' in s3 and "[+ added]" in s3
    removed = next(x for x in s3.splitlines() if x.strip().startswith("n_buckets_logs["))
    assert removed.endswith('[\u2212 removed]"]')
    assert "classDef removed fill:#FBE9DF,stroke:#D55E00,stroke-width:3px,stroke-dasharray:6 3" in s3
    svg = (out / "dynamodb.svg").read_text(encoding="utf-8")
    assert "Change (archkit diff)" in svg and ">Δ changed<" in svg
    assert ">changed: 3<" in svg  # the legend counts the changed nodes of the view


def test_default_path_finds_the_destructive_changes_synthesis_finds(
    spec_repo: Path, full_diff: tuple[Run, Path]
) -> None:
    """The carriers (no CDK) and the templates (--synth) agree on what is replaced or deleted."""
    spec = str(spec_repo / "specs" / "reference.yaml")
    default = run_diff("main", "--spec", spec, "--format", "json").json()
    assert default["synthesized"] is False

    def destructive(report: dict[str, Any]) -> set[tuple[str, str | None, str | None]]:
        return {
            (c["resource"], c["cfn_property"], c["data_lost"])
            for c in report["consequences"]
            if c["class"] == "destructive"
        }

    assert (
        destructive(default)
        == destructive(full_diff[0].json())
        == {
            ("tables.main", "KeySchema", "every item in the table, in every replica region"),
            ("buckets.logs", None, "every object in the bucket"),
        }
    )
