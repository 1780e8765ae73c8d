"""CDK tests: the reference spec synthesized once per session (tests/shared.py: shared with the account
tests, across xdist workers) and reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cdk_helpers import Assembly


@pytest.fixture(scope="session")
def reference_out(reference_generated: Path) -> Path:
    """`archkit generate` output of the reference spec (synthesized once per session)."""
    return reference_generated


@pytest.fixture(scope="session")
def assembly(reference_out: Path) -> Assembly:
    return Assembly(reference_out)
