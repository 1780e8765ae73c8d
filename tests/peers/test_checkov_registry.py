"""The checkov ids in the rules' counterparts and in the not-applicable list are checks checkov runs on
CloudFormation, for resource types archkit emits: a counterpart is checked, not typed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from archkit.peers.checkov import NOT_APPLICABLE
from archkit.verify.rules.registry import all_rules

from .conftest import CHECKOV_VENV

pytestmark = [pytest.mark.peers, pytest.mark.slow, pytest.mark.xdist_group("peers")]


@pytest.fixture(scope="module")
def registry(checkov: Path) -> dict[str, list[str]]:
    """checkov id -> the CloudFormation resource types it inspects (asked of checkov itself)."""
    done = subprocess.run(
        [str(CHECKOV_VENV / "bin" / "python"), str(Path(__file__).with_name("checkov_registry.py"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def emitted(synthesized: dict[str, Path]) -> set[str]:
    """Every resource type in the templates archkit synthesizes for the reference (all environments)."""
    types = set()
    for cdk_out in synthesized.values():
        for template in cdk_out.glob("*.template.json"):
            types |= {r["Type"] for r in json.loads(template.read_text())["Resources"].values()}
    return types


def test_registry_is_read_from_checkov(registry):
    # A check archkit relies on, with its types, so an empty or garbled registry cannot pass the tests below.
    assert registry["CKV_AWS_165"] == ["AWS::DynamoDB::GlobalTable"]
    assert "AWS::EC2::Instance" in registry["CKV_AWS_88"]
    assert "CKV2_AWS_11" not in registry  # Terraform only


def test_every_counterpart_is_a_cloudformation_check_of_an_emitted_type(registry, emitted):
    wrong = {}
    for rule in all_rules():
        for check in rule.meta.counterparts.checkov:
            if check not in registry:
                wrong[f"{rule.id} {check}"] = "not a CloudFormation check"
            elif not set(registry[check]) & emitted:
                wrong[f"{rule.id} {check}"] = f"inspects only {registry[check]}, which archkit never emits"
    assert wrong == {}


def test_every_not_applicable_entry_is_a_cloudformation_check(registry):
    assert sorted(e.check for e in NOT_APPLICABLE if e.check not in registry) == []
