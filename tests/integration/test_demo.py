"""The demo's account part (scripts/demo-account.sh, run by `make demo`): it shows a clean verify, a change
behind the spec's back found with exit 1, the overlay drawn; and no process it started outlives it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared import REFERENCE, ROOT

pytestmark = [pytest.mark.slow]

SCRIPT = ROOT / "scripts" / "demo-account.sh"


def _session_members(sid: int) -> list[str]:
    """Command lines of the live processes in session ``sid`` (everything the script started)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            state, session = fields[0], int(fields[3])
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (OSError, IndexError, ValueError):
            continue  # the process ended while it was read
        if session == sid and state != "Z":
            found.append(f"{stat.parent.name}: {cmdline}")
    return found


def _run(out: Path, timeout: float) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "OUT": str(out), "PYTHON": sys.executable}
    proc = subprocess.Popen(
        ["bash", str(SCRIPT), str(REFERENCE)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own session: whatever it starts carries the session id
    )
    output, _ = proc.communicate(timeout=timeout)
    return proc, output


def _wait_gone(sid: int, seconds: float = 10.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := _session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture
def out(tmp_path: Path, reference_generated: Path) -> Path:
    shutil.copytree(reference_generated / "cdk.out", tmp_path / "cdk.out")
    return tmp_path


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads sessions from /proc")
def test_demo_shows_clean_then_the_finding_and_leaves_no_process(out: Path) -> None:
    proc, output = _run(out, timeout=600)
    assert proc.returncode == 0, output[-4000:]
    assert "emulator ready: http://127.0.0.1:" in output
    assert "0 drift, 0 compliance failures" in output
    assert "applied change 'pitr-off'" in output
    assert "1 drift, 1 compliance failure" in output
    assert (out / "verify-demo.json").is_file()
    assert sorted(p.name for p in (out / "diagrams" / "overlay").glob("*.svg")) == [
        "api.svg",
        "cost.svg",
        "dynamodb.svg",
        "lambda.svg",
        "overview.svg",
        "s3.svg",
        "security.svg",
    ]
    assert _wait_gone(proc.pid) == []
