"""Every rule on the account (`archkit verify`): the reference's templates deployed into the emulator pass;
the scratch account after the changes made behind the spec's back (tests/account_changes.py) fails, each rule
on the resource that was changed. The collectors read it over HTTP through boto3's whole stack."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.conftest import statuses

from account_changes import RULE_CHANGES, ChangedRuns, RuleChange, rule_results
from shared import DeployedAccount

pytestmark = [pytest.mark.slow]
CHANGES = RULE_CHANGES

# Rules whose verdict on the unchanged account is checked (besides every rule above).
GOOD_ALSO = [
    ("ARCH-DDB-002", "tables.main"),  # moto ignores an SSE change on a global table: no live bad case
    ("ARCH-COST-003", "buckets.assets"),  # moto has no Intelligent-Tiering: not checked (asserted below)
]


@pytest.fixture(scope="module")
def live(
    reference_account: DeployedAccount, reference_run: Any, changed_runs: ChangedRuns
) -> tuple[list[Any], list[Any]]:
    """(results on the reference account as deployed, results on the scratch account after every change)."""
    return rule_results(reference_run, reference_account.spec), changed_runs.rules


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: f"{c.rule}:{c.resource}")
def test_deployed_reference_passes(change: RuleChange, live) -> None:
    good, _ = live
    found = statuses(good, change.rule, change.good_resource or change.resource)
    assert found and "fail" not in found, [
        (r.status, r.attribute, r.message) for r in good if r.rule_id == change.rule
    ]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: f"{c.rule}:{c.resource}")
def test_change_behind_the_spec_fails_the_rule(change: RuleChange, live) -> None:
    _, bad = live
    assert "fail" in statuses(bad, change.rule, change.resource, change.attribute)


@pytest.mark.parametrize(("rule", "resource"), GOOD_ALSO, ids=lambda v: str(v))
def test_other_rules_pass_on_the_deployed_reference(rule: str, resource: str, live) -> None:
    good, _ = live
    found = statuses(good, rule, resource)
    assert found and set(found) == {"pass" if rule != "ARCH-COST-003" else "not_applicable"}, [
        (r.status, r.attribute, r.message) for r in good if r.rule_id == rule and r.resource == resource
    ]


def test_only_the_suppressed_finding_remains_on_the_deployed_reference(live) -> None:
    good, _ = live
    failing = sorted((r.rule_id, r.resource, r.suppressed) for r in good if r.status == "fail")
    assert failing == [("ARCH-S3-005", "buckets.logs", True), ("ARCH-SMG-001", "secrets.origin_verify", True)]


def test_unreadable_anomaly_monitor_is_not_checked_rather_than_failed(live) -> None:
    """moto has no Cost Explorer anomaly monitors: verify lists the monitor as not_checked, and the rule
    does not turn that into a compliance failure (nor a pass)."""
    good, _ = live
    (result,) = [r for r in good if r.rule_id == "ARCH-COST-006"]
    assert (result.resource, result.status) == ("cost.anomaly_detection", "not_applicable")
    assert result.message == "not checked: cost.anomaly_detection could not be read"
    (tiering,) = [r for r in good if r.rule_id == "ARCH-COST-003" and r.resource == "buckets.assets"]
    assert tiering.message.startswith("not checked: intelligent_tiering: unsupported")
