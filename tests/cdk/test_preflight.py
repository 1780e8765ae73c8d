"""Specs CDK cannot build: a clear error before synthesis, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from .cdk_helpers import REFERENCE_SPEC

pytestmark = pytest.mark.xdist_group("cdk")


def _run(tmp_path: Path, doc: dict[str, Any]) -> tuple[int, str, Path]:
    from archkit.cli import app

    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc, sort_keys=False))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["generate", "--spec", str(spec), "--out", str(out)])
    return result.exit_code, result.output, out


def _network_spec(region: str, zones: list[str]) -> dict[str, Any]:
    return {
        "project": "demo",
        "owner": "team",
        "region": region,
        "availability_zones": zones,
        "network": {
            "public_subnets": [{"az": az, "cidr": f"10.0.{i}.0/24"} for i, az in enumerate(zones)],
            "nat_gateways": 0,
        },
        "edge": {"dns": {"enabled": False}, "cdn": {"enabled": False}, "waf": {"enabled": False}},
        "cost": {"anomaly_detection": {"enabled": False}},
    }


def test_a_zone_the_region_does_not_have(tmp_path):
    code, output, out = _run(tmp_path, _network_spec("us-east-1", ["us-east-1a", "us-east-1g"]))
    assert code == 2
    assert "availability_zones.1: us-east-1g does not exist" in output
    assert not out.exists()


def test_more_zones_than_the_region_has(tmp_path):
    zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"]
    code, output, out = _run(tmp_path, _network_spec("eu-west-1", zones))
    assert code == 2
    assert "4 availability zones listed but an account can use at most 3 in eu-west-1" in output
    assert "availability_zones.3: eu-west-1d does not exist" in output
    assert "Traceback" not in output
    assert not out.exists()


def test_missing_code_directory(tmp_path):
    doc = yaml.safe_load(REFERENCE_SPEC.read_text())
    code, output, out = _run(tmp_path, doc)  # the spec is copied away from its lambda/ directory
    assert code == 2
    assert "functions.get_user.code: code directory" in output
    assert f"{tmp_path / 'lambda' / 'app'} does not exist" in output.replace("\n", "")
    assert "layers.common.code" in output
    assert not out.exists()


def test_missing_handler_module_and_placeholder_cycle(tmp_path):
    from archkit.cdk.errors import CdkBuildErrors
    from archkit.cdk.preflight import check_buildable
    from archkit.spec import spec_from_dict

    doc = yaml.safe_load(REFERENCE_SPEC.read_text())
    doc["functions"]["get_user"]["handler"] = "handlers.nowhere.get_user"
    doc["functions"]["get_items"]["environment"] = {"SELF_URL": "${api.url}"}
    doc["functions"]["auth"]["database"] = False  # a database function without groups is a spec error
    doc["functions"]["auth"]["security_groups"] = []
    doc["functions"]["auth"]["log_retention_days"] = 45
    with pytest.raises(CdkBuildErrors) as raised:
        check_buildable(spec_from_dict(doc), REFERENCE_SPEC.parent)
    paths = [e.path for e in raised.value.errors]
    assert paths == [
        "functions.get_user.handler",
        "functions.auth.log_retention_days",
        "functions.auth.security_groups",
        "functions.get_items.environment.SELF_URL",
    ] or sorted(paths) == sorted(
        [
            "functions.get_user.handler",
            "functions.auth.log_retention_days",
            "functions.auth.security_groups",
            "functions.get_items.environment.SELF_URL",
        ]
    )
    messages = {e.path: e.message for e in raised.value.errors}
    assert "handlers/nowhere.py not found" in messages["functions.get_user.handler"]
    assert (
        "nearest is 30" in messages["functions.auth.log_retention_days"]
        or "nearest is 60" in messages["functions.auth.log_retention_days"]
    )
