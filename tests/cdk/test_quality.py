"""Quality gates on the synthesized reference app: cfn-lint, cdk-nag, determinism, committed output,
the cdk.json app command, and the up-to-date check."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .cdk_helpers import GENERATED, REFERENCE_SPEC, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_cfn_lint_reports_no_errors(assembly):
    from cfnlint.api import lint

    for stack, template in assembly.stacks.items():
        matches = lint(json.dumps(template), regions=[assembly.regions[stack]])
        errors = [f"{m.rule.id} {m.message}" for m in matches if m.rule.severity == "error"]
        assert errors == [], f"{stack}: {errors}"


def test_cdk_nag_ran_and_passed(assembly):
    """No unacknowledged finding (test_variants shows the same app without the spec's suppressions fails)."""
    report = json.loads((assembly.cdk_out / "validation-report.json").read_text())
    for plugin in report["pluginReports"]:
        assert plugin["conclusion"] == "success", plugin["pluginName"]
        if plugin["pluginName"] == "AwsSolutions":
            assert plugin["violations"] == []


def test_generated_directory_is_current(reference_out):
    """`generated/` in the repository is the output of the reference spec (run `make regenerate`)."""
    from archkit.cdk.fingerprint import STAMP_NAME, input_digest, read_stamp
    from archkit.spec import load_spec

    fresh = _files(reference_out / "cdk.out")
    committed = _files(GENERATED / "cdk.out")
    assert sorted(committed) == sorted(fresh)
    # The stamp also hashes cdk.json (whose spec path is relative to the output): compare its inputs only.
    del fresh[STAMP_NAME], committed[STAMP_NAME]
    assert read_stamp(GENERATED / "cdk.out")["inputs"] == input_digest(
        load_spec(REFERENCE_SPEC), REFERENCE_SPEC
    )
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert stale == [], f"generated/cdk.out is stale: {stale[:5]}"
    assert json.loads((GENERATED / "cdk.json").read_text()) == {
        "app": "python3 -m archkit.cdk.app --spec ../specs/reference.yaml --env prod",
        "output": "cdk.out",
    }


def test_output_has_no_machine_specific_paths(reference_out):
    for name, data in _files(reference_out / "cdk.out").items():
        # CDK's own AwsCustomResource handler names the Lambda sandbox's /tmp/node_modules: not this machine.
        text = data.decode("utf-8", errors="replace").replace("/tmp/node_modules/", "")
        for marker in (str(ROOT), str(reference_out), "/tmp/", "/root/", "/home/"):
            assert marker not in text, f"{name} contains {marker}"


def test_asset_hashes_depend_on_code_content_only(assembly):
    manifest = json.loads((assembly.cdk_out / "shop-prod-application.assets.json").read_text())
    sources = sorted(
        f["source"]["path"] for f in manifest["files"].values() if f["source"].get("packaging") == "zip"
    )
    assert len(sources) == 4  # the app code and the three layers, each staged once
    assert all(s.startswith("asset.") and len(s) == len("asset.") + 64 for s in sources)
    staged = assembly.cdk_out / sources[0]
    assert not any(p.name == "__pycache__" for p in staged.rglob("*"))


def test_cdk_json_app_command_reproduces_the_templates(reference_out, tmp_path):
    """Run the app command of cdk.json the way the cdk CLI does (cwd = generated/, CDK_OUTDIR set)."""
    command = json.loads((GENERATED / "cdk.json").read_text())["app"].split()
    assert command[:3] == ["python3", "-m", "archkit.cdk.app"]
    out = tmp_path / "cdk.out"
    env = {
        **os.environ,
        "CDK_OUTDIR": str(out),
        "CDK_CONTEXT_JSON": json.dumps({"aws:cdk:enable-path-metadata": False}),
    }
    result = subprocess.run(
        [sys.executable, *command[1:]], cwd=GENERATED, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    fresh = _files(reference_out / "cdk.out")
    again = _files(out)
    for name in sorted(n for n in fresh if n.endswith(".template.json")):
        assert again[name] == fresh[name], f"{name} differs between cdk.json's app and archkit generate"


def test_unchanged_spec_skips_synthesis_and_tampering_is_detected(reference_out, reference_spec, tmp_path):
    from archkit.cdk.fingerprint import STAMP_NAME, input_digest, is_current
    from archkit.cdk.synth import synthesize

    out = tmp_path / "generated"
    shutil.copytree(reference_out, out)
    result = synthesize(reference_spec, REFERENCE_SPEC, out)
    assert result.skipped is True
    assert [s.name for s in result.stacks] == [
        "shop-prod-application",
        "shop-prod-cost",
        "shop-prod-data",
        "shop-prod-data-us-west-2",
        "shop-prod-edge",
        "shop-prod-edge-global",
        "shop-prod-network",
    ]
    inputs = input_digest(reference_spec, REFERENCE_SPEC)
    template = out / "cdk.out" / "shop-prod-data.template.json"
    template.write_text(template.read_text().replace("shop-prod-main", "shop-prod-other"))
    assert not is_current(out / "cdk.out", out / "cdk.json", inputs)
    assert (out / "cdk.out" / STAMP_NAME).is_file()
