"""Integration fixtures: the reference spec synthesized once, and a moto server of this module's own.

Why not the session server of `tests/moto_fixtures.py`: it runs inside the test process, where the verify
tests keep their own `shop-prod` deployment for the whole session. moto keeps one state per process and S3
bucket names are global across its accounts, so the templates' `shop-prod-assets` could not be created beside
it, and resetting that server between scenarios would wipe the verify tests' deployment. A moto server in a
child process is the same real HTTP endpoint with state of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from archkit.verify.emulator import FAKE_CREDENTIALS, free_port
from moto_fixtures import reset_moto

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "specs" / "reference.yaml"


@pytest.fixture(scope="session")
def reference_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference spec synthesized fresh (so the test follows the CDK code): the `cdk.out` directory."""
    from archkit.cdk.synth import synthesize
    from archkit.spec import load_spec

    out = tmp_path_factory.mktemp("generated")
    return synthesize(load_spec(REFERENCE), REFERENCE, out, force=True).cdk_out


def _wait_ready(endpoint: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/config", timeout=2) as resp:
                json.loads(resp.read())
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"moto server at {endpoint} did not answer within {timeout:.0f}s")


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """A moto server in a child process on 127.0.0.1 (AWS managed IAM policies loaded, as in an account)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    saved = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "AWS_DEFAULT_REGION")}
    os.environ.update(FAKE_CREDENTIALS)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    try:
        _wait_ready(endpoint, proc)
        reset_moto(endpoint)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
