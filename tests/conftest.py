"""Shared test configuration. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_SPEC = ROOT / "specs" / "reference.yaml"

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")


@pytest.fixture(scope="session")
def reference_spec():
    from archkit.spec import load_spec

    return load_spec(REFERENCE_SPEC)


# One moto server per test process, shared by every area (moto's backends are process-wide anyway).
from moto_fixtures import moto_server  # noqa: E402, F401
