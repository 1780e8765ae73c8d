"""The lock (requirements-lock.txt) agrees with pyproject.toml, and this environment is the locked one."""

from __future__ import annotations

import importlib.util
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("lock", ROOT / "scripts" / "lock.py")
assert _spec is not None and _spec.loader is not None
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)


def _direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = [
        *project["dependencies"],
        *(r for extra in project["optional-dependencies"].values() for r in extra),
    ]
    return [Requirement(text) for text in texts if not text.startswith("archkit")]


def test_the_lock_was_made_from_the_current_pyproject() -> None:
    assert lock.check() == []


def test_a_changed_range_without_a_new_lock_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = tmp_path / "pyproject.toml"
    changed.write_text((ROOT / "pyproject.toml").read_text().replace('"rich>=13"', '"rich>=14"'))
    monkeypatch.setattr(lock, "PYPROJECT", changed)
    assert lock.check() == [
        "pyproject.toml or requirements/tools.in changed since the lock was made: run `make lock`"
    ]


def test_every_dependency_is_pinned_within_its_range() -> None:
    pins = lock.locked_versions()
    outside = {
        str(req): pins.get(lock.normalize(req.name))
        for req in _direct_requirements()
        if pins.get(lock.normalize(req.name)) is None
        or not req.specifier.contains(pins[lock.normalize(req.name)], prereleases=True)
    }
    assert outside == {}


def test_this_environment_is_the_locked_one() -> None:
    """`make setup` installed exactly the lock: a version here that differs means setup did not run."""
    differing = {}
    for name, want in lock.locked_versions().items():
        try:
            got: str | None = metadata.version(name)
        except metadata.PackageNotFoundError:
            got = None
        if got != want:
            differing[name] = (want, got)
    assert differing == {}, "run `make setup` (locked version, installed version)"
