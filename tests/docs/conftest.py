"""Fixtures of the docs tests: one fresh generation from the reference spec and one strict site build,
shared by the whole session (a build takes seconds)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture"
REFERENCE = DOCS / "reference"
MKDOCS_YML = ROOT / "mkdocs.yml"
DIAGRAMS = False  # DEV-ONLY
SPEC_SOURCE = "specs/reference.yaml"
"""How the committed pages name the reference spec (`archkit docs` run from the repository root)."""


@dataclass(frozen=True)
class SiteBuild:
    returncode: int
    output: str
    site: Path


def mkdocs_build(project: Path, site: Path) -> SiteBuild:
    """`mkdocs build --strict` of the project at `project` into `site`, as a user runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return SiteBuild(proc.returncode, proc.stdout + proc.stderr, site)


def copy_project(dest: Path) -> Path:
    """A copy of what the site build reads (mkdocs.yml, docs/, and src/ for mkdocstrings), to break safely."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(MKDOCS_YML, dest / "mkdocs.yml")
    shutil.copytree(DOCS, dest / "docs")
    (dest / "src").symlink_to(ROOT / "src", target_is_directory=True)
    return dest


@pytest.fixture(scope="session")
def fresh_docs(reference_spec):
    """Everything `archkit docs` generates for the reference spec, in memory (diagrams included)."""
    from archkit.docs import build_docs

    return build_docs(reference_spec, source=SPEC_SOURCE, diagrams=DIAGRAMS)


@pytest.fixture(scope="session")
def arch_pages(fresh_docs) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in fresh_docs.architecture.items() if name.endswith(".md")}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> SiteBuild:
    """The committed docs built with `mkdocs build --strict` into a temporary site directory."""
    return mkdocs_build(ROOT, tmp_path_factory.mktemp("site") / "site")
