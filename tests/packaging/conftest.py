"""archkit as a user gets it: the wheel built from this checkout, installed with its base dependencies only
into a fresh virtual environment outside the checkout. Built once per session (xdist group "wheel")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
BUILD_INPUTS = ("pyproject.toml", "README.md", "src")
"""What the wheel is built from (copied, so the build leaves nothing in the checkout)."""


@dataclass
class Installed:
    """A virtual environment holding archkit from the wheel and nothing else of this checkout."""

    venv: Path
    wheel: Path
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        """The environment of a user who activated the venv: no PYTHONPATH into this checkout."""
        env = {k: v for k, v in _clean_env().items() if k != "ARCHKIT_SPEC"}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env["COLUMNS"] = "200"
        env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
        env.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
        return env

    def run(self, *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv (``archkit`` resolves to the installed console script)."""
        command = [str(self.bin / args[0]) if (self.bin / args[0]).exists() else args[0], *args[1:]]
        return subprocess.run(
            command, cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=timeout, check=False
        )

    def shell(self, script: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", script],
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _clean_env() -> dict[str, str]:
    """No PYTHONPATH: a checkout on it would make pip see archkit as installed already."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        pytest.fail(f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("installed")
    assert not base.resolve().is_relative_to(ROOT), "the venv must live outside the checkout"
    source = base / "source"
    for name in BUILD_INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, source / name)
    timings: dict[str, float] = {}
    start = time.monotonic()
    wheels = base / "wheels"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    build = subprocess.run(
        [*pip_wheel, "-w", wheels, source],
        capture_output=True,
        text=True,
        check=False,
        env=_clean_env(),
    )
    _check(build, "building the wheel")
    timings["wheel build"] = time.monotonic() - start
    (wheel,) = wheels.glob("archkit-*.whl")

    start = time.monotonic()
    venv = base / "venv"
    venv_run = subprocess.run(
        [sys.executable, "-m", "venv", venv], capture_output=True, text=True, check=False, env=_clean_env()
    )
    _check(venv_run, "creating the venv")
    constraints = ["-c", str(LOCK)] if LOCK.is_file() else []
    install = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "-q", *constraints, wheel],
        capture_output=True,
        text=True,
        check=False,
        env=_clean_env(),
    )
    _check(install, "installing the wheel")
    timings["venv + install"] = time.monotonic() - start
    yield Installed(venv=venv, wheel=wheel, timings=timings)
    print(", ".join(f"{k}: {v:.1f}s" for k, v in timings.items()))
