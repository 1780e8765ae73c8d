"""Peer cross-checks: checkov runs from its own venv (scripts/setup-peers.sh) as a subprocess, on templates
synthesized here from the reference spec in each of its environments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "specs" / "reference.yaml"
CHECKOV_VENV = ROOT / ".archkit-cache" / "peers" / "checkov"
CHECKOV = CHECKOV_VENV / "bin" / "checkov"
SPECS = [(REFERENCE, "prod"), (REFERENCE, "dev")] + [
    (path, None) for path in sorted((ROOT / "specs" / "examples").glob("*.yaml"))
]
"""The reference in every environment, and each example spec (specs/examples/, when there are some)."""


def spec_id(spec: tuple[Path, str | None]) -> str:
    return f"{spec[0].stem}-{spec[1]}" if spec[1] else spec[0].stem


@pytest.fixture(scope="session")
def checkov() -> Path:
    if not CHECKOV.is_file():
        pytest.skip(f"checkov is not installed in {CHECKOV_VENV}: run scripts/setup-peers.sh")
    return CHECKOV


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """spec id -> the cdk.out synthesized from it (each once per session)."""
    from archkit.cdk.synth import synthesize
    from archkit.spec import load_spec

    out = {}
    for spec in SPECS:
        target = tmp_path_factory.mktemp(spec_id(spec))
        out[spec_id(spec)] = synthesize(load_spec(spec[0], env=spec[1]), spec[0], target, force=True).cdk_out
    return out


def run_checkov(checkov: Path, cdk_out: Path) -> Any:
    """checkov's JSON report on the templates of one assembly (exit 1 just means it failed checks)."""
    done = subprocess.run(
        [
            str(checkov),
            "-d",
            str(cdk_out),
            "--framework",
            "cloudformation",
            "-o",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)


def static_report(spec: tuple[Path, str | None]) -> Any:
    """`archkit verify --static --format json` of a spec (the CLI, as users run it)."""
    args = [sys.executable, "-m", "archkit", "verify", "--static", "--format", "json", "--spec", str(spec[0])]
    if spec[1]:
        args += ["--env", spec[1]]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)
