"""Paths of the spec corpus and a helper collecting a spec's issues (shared by the spec tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.spec import SpecError, SpecIssue, load_environments, load_spec
from shared import REFERENCE, ROOT  # noqa: F401  (re-exported for the tests of this area)

FIXTURES = ROOT / "tests" / "fixtures" / "specs"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


def issues_of(path: Path, env: str | None = None) -> list[SpecIssue]:
    """The issues of ``path`` in environment ``env`` (default: in every environment, as `archkit validate`);
    fails the test if it is valid."""
    with pytest.raises(SpecError) as caught:
        if env is None:
            load_environments(path)
        else:
            load_spec(path, env)
    return caught.value.issues


def text_issues(text: str, file: str = "spec.yaml", env: str | None = None) -> list[SpecIssue]:
    """The issues parsing ``text`` raises; fails the test if it is valid."""
    from archkit.spec import parse_spec_text

    with pytest.raises(SpecError) as caught:
        parse_spec_text(text, file, env)
    return caught.value.issues
