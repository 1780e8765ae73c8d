"""Diff tests: one git repository holding the reference spec at `main`, its working spec carrying every
mutation the tests assert on, and ONE synthesized diff of the two (both sides cached) for the session."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from .mutations import REFERENCE, everything


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_diff(*args: str) -> Run:
    from archkit.cli import app

    result = CliRunner().invoke(app, ["diff", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=archkit tests", "-c", "user.email=tests@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="session", autouse=True)
def diff_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthesized assemblies of this session (shared by every test, never the user's cache)."""
    from archkit.diff.templates import CACHE_ENV

    path = tmp_path_factory.mktemp("diff-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv(CACHE_ENV, str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="session")
def spec_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repo: specs/ of the reference committed on `main`; the working spec has every mutation."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(REFERENCE.parent / "lambda", repo / "specs" / "lambda")
    spec = repo / "specs" / "reference.yaml"
    spec.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "reference")
    spec.write_text(everything(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    return repo


@pytest.fixture(scope="session")
def full_diff(spec_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    """`archkit diff main --spec <working spec> --synth --format json --diagram DIR` (synthesizes both sides
    once)."""
    diagrams = tmp_path_factory.mktemp("diagrams")
    spec = spec_repo / "specs" / "reference.yaml"
    run = run_diff("main", "--spec", str(spec), "--synth", "--format", "json", "--diagram", str(diagrams))
    assert run.code == 0, run.stderr
    return run, diagrams
