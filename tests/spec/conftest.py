"""Session fixtures of the spec tests."""

from __future__ import annotations

import pytest

from .spec_helpers import REFERENCE


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")
