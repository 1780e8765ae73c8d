"""Shared test configuration. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os

import pytest

from shared import REFERENCE

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")


@pytest.fixture(scope="session")
def reference_spec():
    from archkit.spec import load_spec

    return load_spec(REFERENCE)


# The emulated accounts and the syntheses they come from, shared by every area (tests/shared.py).
from account_changes import changed_runs  # noqa: E402, F401
from shared import (  # noqa: E402, F401
    everything_off_account,
    everything_off_generated,
    everything_off_spec,
    reference_account,
    reference_generated,
    reference_run,
    scratch_account,
)

ACCOUNT_FIXTURES = frozenset(
    {"reference_account", "scratch_account", "everything_off_account", "reference_run", "changed_runs"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test reading an emulated account runs on the worker that holds the accounts (tests/shared.py)."""
    from shared import ACCOUNTS

    for item in items:
        if ACCOUNT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(ACCOUNTS))
