"""One moto server per test session on 127.0.0.1 (a real HTTP endpoint; boto3 goes through its whole stack).

Import the fixture into an area's conftest:  ``from tests.moto_fixtures import moto_server  # noqa: F401``
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from archkit.verify.emulator import FAKE_CREDENTIALS, reset_server, start_server


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Endpoint URL of a moto server (fake credentials and us-east-1 set in the environment)."""
    saved = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "AWS_DEFAULT_REGION")}
    os.environ.update(FAKE_CREDENTIALS)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    server, endpoint = start_server()
    try:
        yield endpoint
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def reset_moto(endpoint: str) -> None:
    """Empty the server (moto's reset API)."""
    reset_server(endpoint)
