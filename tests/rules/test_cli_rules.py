"""`archkit rules`: the catalogue as a table, JSON or Markdown."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from archkit.cli import app

runner = CliRunner()


def test_json_lists_every_rule_with_its_metadata() -> None:
    from archkit.verify.rules import rule_ids

    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["id"] for r in data] == rule_ids()
    pitr = next(r for r in data if r["id"] == "ARCH-DDB-001")
    assert pitr["severity"] == "medium"
    assert pitr["layer"] == "data"
    assert pitr["counterparts"]["security_hub"] == ["DynamoDB.2"]
    assert pitr["counterparts"]["checkov"] == ["CKV_AWS_28", "CKV_AWS_165"]


def test_layer_filter_and_table() -> None:
    result = runner.invoke(app, ["rules", "--layer", "edge"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "ARCH-CFR-001" in result.output
    assert "ARCH-DDB-001" not in result.output


def test_unknown_layer_is_a_usage_error() -> None:
    result = runner.invoke(app, ["rules", "--layer", "edges"])
    assert result.exit_code == 2
    assert "unknown layer 'edges'" in result.output


def test_markdown_to_a_file_matches_the_catalogue(tmp_path) -> None:
    from archkit.verify.rules import catalogue_markdown

    out = tmp_path / "rules.md"
    result = runner.invoke(app, ["rules", "--format", "markdown", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == catalogue_markdown()
    assert not [p.name for p in tmp_path.iterdir() if p.name != "rules.md"]
