"""Public exposure made behind the spec's back (issue 14): a function invocable by everyone, a queue policy,
a secret policy and a bucket statement for everyone, the database made public, a table's deletion
protection turned off. On the deployed reference account, with all six made at once, verify reports each
exactly — as drift on its resource and attribute, and as its failing rule — and nothing else; undone, the
account reads clean again.

The first three went unnoticed before verify read Lambda, SQS and Secrets Manager resource policies.
"""

from __future__ import annotations

from typing import Any

import pytest

from account_changes import EXPOSURE_CHANGES, drift_keys, finding_key, rule_results
from shared import DeployedAccount

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def exposed(reference_account: DeployedAccount) -> tuple[Any, list[Any], Any]:
    """(verify with the six changes made, the rules on what it observed, verify after the undo)."""
    with reference_account.changed(*(c.id for c in EXPOSURE_CHANGES)):
        run = reference_account.verify()
    return run, rule_results(run, reference_account.spec), reference_account.verify()


@pytest.mark.parametrize("change", EXPOSURE_CHANGES, ids=[c.id for c in EXPOSURE_CHANGES])
def test_change_is_reported_as_drift_and_as_its_rule(exposed, change) -> None:
    run, rules, _ = exposed
    for expected in change.drift:
        assert finding_key(*expected) in drift_keys(run), sorted(drift_keys(run))
    rule_id, resource, attribute = change.rule
    failing = [(r.rule_id, r.resource, r.attribute) for r in rules if r.status == "fail" and not r.suppressed]
    assert (rule_id, resource, attribute) in failing
    severities = {f.severity for f in run.report.findings if f.kind == "drift" and f.resource == resource}
    assert severities == {"high"}  # each weakens a security layer


def test_nothing_else_is_reported(exposed) -> None:
    run, rules, _ = exposed
    assert drift_keys(run) == {finding_key(*e) for c in EXPOSURE_CHANGES for e in c.drift}
    failing = {(r.rule_id, r.resource, r.attribute) for r in rules if r.status == "fail" and not r.suppressed}
    assert failing == {c.rule for c in EXPOSURE_CHANGES}
    assert not run.report.account_unreadable()


def test_the_undo_leaves_the_account_clean(exposed) -> None:
    _, _, after = exposed
    reported = [
        f for f in after.report.findings if f.kind == "drift" or (f.kind == "compliance" and not f.suppressed)
    ]
    assert reported == [], [f.message for f in reported]
