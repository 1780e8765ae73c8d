"""The committed create-only data equals what the installed cfn-lint's resource schemas say, and covers every
resource type archkit emits."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from archkit.diff.create_only import DATA_FILE, create_only, is_custom_resource, known_types

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location(
        "refresh_create_only", ROOT / "scripts" / "refresh_create_only.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_equals_the_installed_cfn_lint() -> None:
    pytest.importorskip("cfnlint")
    script = _script()
    committed = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    fresh = script.build(set(committed["types"]))
    assert committed == fresh, "run scripts/refresh_create_only.py (make refresh-create-only)"


def test_every_type_archkit_emits_has_an_entry() -> None:
    missing = sorted(_script().emitted_types() - known_types())
    assert missing == []


def test_every_type_in_the_synthesized_assemblies_has_an_entry(diff_cache: Path, full_diff) -> None:
    types = set()
    for template in diff_cache.rglob("*.template.json"):
        types |= {r["Type"] for r in json.loads(template.read_text(encoding="utf-8"))["Resources"].values()}
    assert "AWS::DynamoDB::GlobalTable" in types
    assert "Custom::AWS" in types  # network.restrict_default_security_group: no schema, holds no data
    assert sorted(t for t in types if create_only(t) is None and not is_custom_resource(t)) == []


def test_only_custom_resources_go_without_an_entry() -> None:
    assert is_custom_resource("Custom::AWS") and is_custom_resource("AWS::CloudFormation::CustomResource")
    assert not is_custom_resource("AWS::EC2::SecurityGroup") and create_only("Custom::AWS") is None


def test_known_replacement_facts() -> None:
    table = create_only("AWS::DynamoDB::Table")
    assert table is not None and "TableName" in table.create_only and table.conditional == ("KeySchema",)
    bucket = create_only("AWS::S3::Bucket")
    assert bucket is not None and "BucketName" in bucket.create_only
    rds = create_only("AWS::RDS::DBInstance")
    assert rds is not None and {"DBInstanceIdentifier", "DBName"} <= set(rds.create_only)
