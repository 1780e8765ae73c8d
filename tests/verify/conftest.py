"""Fixtures of the verify tests: one moto server, the reference system deployed into it, runs of verify."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archkit.spec import ArchSpec, load_spec
from archkit.verify.collect.aws import Aws, AwsOptions
from archkit.verify.emulator import Deployment, provision
from archkit.verify.run import AccountRun, verify_account
from http_proxy import with_capabilities
from moto_fixtures import spec_variant  # noqa: F401  (moto_server comes from tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "specs" / "reference.yaml"

RECORDED: set[tuple[str, str]] = set()
"""(service, operation) of every AWS call verify made in this session (botocore event hook)."""


def _record(model: Any, **_: Any) -> None:
    RECORDED.add((model.service_model.service_name, model.name))


def make_aws(endpoint: str, hooks: list[tuple[str, Callable[..., Any]]] | None = None, **options: Any) -> Aws:
    """An Aws factory pointed at the emulator (with its capabilities document), recording every call."""
    opts = {
        "region": "us-east-1",
        "endpoint_url": with_capabilities(endpoint),
        "calls_per_second": 0,
        **options,
    }
    return Aws(AwsOptions(**opts), hooks=[("before-call", _record), *(hooks or [])])


def run_verify(spec: ArchSpec, endpoint: str, **options: Any) -> AccountRun:
    return verify_account(spec, "specs/reference.yaml", make_aws(endpoint, **options))


@pytest.fixture(scope="session")
def reference(moto_server: str) -> tuple[ArchSpec, Deployment]:
    spec = load_spec(REFERENCE)
    return spec, provision(spec, moto_server)


@pytest.fixture(scope="session")
def clean_run(reference: tuple[ArchSpec, Deployment], moto_server: str) -> AccountRun:
    spec, _ = reference
    return run_verify(spec, moto_server, regions=("us-west-2",))
