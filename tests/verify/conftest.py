"""Fixtures of the verify tests: the reference account (tests/shared.py) and verify's clean run of it."""

from __future__ import annotations

from typing import Any

import pytest

from archkit.spec import ArchSpec
from archkit.verify.run import AccountRun, verify_account
from shared import RECORDED, REFERENCE, DeployedAccount, make_aws

__all__ = ["RECORDED", "REFERENCE", "make_aws", "run_verify"]


def run_verify(spec: ArchSpec, endpoint: str, **options: Any) -> AccountRun:
    return verify_account(spec, "specs/reference.yaml", make_aws(endpoint, **options))


@pytest.fixture(scope="session")
def reference(reference_account: DeployedAccount) -> DeployedAccount:
    return reference_account


@pytest.fixture(scope="session")
def endpoint(reference_account: DeployedAccount) -> str:
    return reference_account.endpoint


@pytest.fixture(scope="session")
def clean_run(reference_run: AccountRun) -> AccountRun:
    return reference_run
