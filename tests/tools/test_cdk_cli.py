"""The generated cdk.json works with the real AWS CDK CLI: `cdk synth` (Node.js, installed locally by
scripts/setup.sh) runs archkit's app and writes the same templates `archkit generate` committed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
CDK_CLI = ROOT / ".archkit-cache" / "node" / "node_modules" / ".bin" / "cdk"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk-cli")]


def test_cdk_synth_with_the_generated_cdk_json_writes_the_committed_templates(tmp_path: Path) -> None:
    assert CDK_CLI.is_file(), f"{CDK_CLI} is missing: run scripts/setup.sh (make setup) first"
    workdir = tmp_path / "generated"
    workdir.mkdir()
    shutil.copy(GENERATED / "cdk.json", workdir / "cdk.json")
    # cdk.json's app reads ../specs/reference.yaml, relative to the generated/ folder.
    (tmp_path / "specs").symlink_to(ROOT / "specs")
    env = {
        **os.environ,
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_DISABLE_CLI_TELEMETRY": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }
    result = subprocess.run(
        [str(CDK_CLI), "synth", "--quiet", "--no-notices", "--no-version-reporting", "-o", "cdk.out"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    committed = sorted(p.name for p in (GENERATED / "cdk.out").glob("*.template.json"))
    synthesized = sorted(p.name for p in (workdir / "cdk.out").glob("*.template.json"))
    assert synthesized == committed
    assert "shop-prod-edge.template.json" in synthesized
    for name in committed:
        cli = json.loads((workdir / "cdk.out" / name).read_text(encoding="utf-8"))
        ours = json.loads((GENERATED / "cdk.out" / name).read_text(encoding="utf-8"))
        assert cli == ours, f"{name}: `cdk synth` differs from `archkit generate`"
