"""Integration fixtures: an emulator of this module's own, for deployer tests on hand-written assemblies (the
reference's accounts are tests/shared.py's)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archkit.emulate.server import spawn_server
from shared import emulator_credentials


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    """The endpoint of an emulator in a child process of its own (an empty account)."""
    server = spawn_server()
    try:
        with emulator_credentials():
            yield server.endpoint
    finally:
        server.stop()
