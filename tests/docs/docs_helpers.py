"""Paths and helpers shared by the docs tests (imported as `docs_helpers`: tests/ is not a package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from shared import REFERENCE as REFERENCE_SPEC  # noqa: F401  (re-exported for the tests of this area)
from shared import ROOT

DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture"
REFERENCE = DOCS / "reference"
MKDOCS_YML = ROOT / "mkdocs.yml"
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
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(site),
            "-f",
            str(project / "mkdocs.yml"),
        ],
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


def rows(page: str) -> list[list[str]]:
    """The cells of every table row on a Markdown page (header and separator rows included)."""
    out = []
    for line in page.splitlines():
        if line.startswith("| ") and line.endswith(" |"):
            out.append([cell.strip() for cell in line[2:-2].split(" | ")])
    return out


def has_row(page: str, *cells: str) -> bool:
    """True if some table row starts with exactly these cells."""
    return any(row[: len(cells)] == list(cells) for row in rows(page))
