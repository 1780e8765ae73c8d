"""One change per attribute class, made behind the spec's back to a correctly deployed system; each is found
with its exact resource, attribute, expected and actual values, and nothing else is reported.

The changes (tests/account_changes.py) are made to the scratch account on disjoint attributes, together
with the optional boxes' changes of test_verify_optional.py, then verify runs once: every expected finding
must be there and the drift findings must be exactly the union of both lists.
"""

from __future__ import annotations

import pytest

from account_changes import DRIFT_CHANGES, OPTIONAL_CHANGES, Change, ChangedRuns, drift_keys, finding_key


@pytest.mark.parametrize("change", DRIFT_CHANGES, ids=[c.id for c in DRIFT_CHANGES])
def test_change_is_detected_exactly(changed_runs: ChangedRuns, change: Change) -> None:
    found = drift_keys(changed_runs.drift)
    for expected in change.drift:
        assert finding_key(*expected) in found, f"{change.id}: {expected} not in {sorted(found)}"


def test_nothing_else_is_reported(changed_runs: ChangedRuns) -> None:
    wanted = {finding_key(*e) for c in (*DRIFT_CHANGES, *OPTIONAL_CHANGES) for e in c.drift}
    assert drift_keys(changed_runs.drift) == wanted
    assert not changed_runs.drift.report.account_unreadable()


def test_at_least_25_attribute_classes() -> None:
    assert len(DRIFT_CHANGES) >= 25
    assert len({c.id for c in DRIFT_CHANGES}) == len(DRIFT_CHANGES)
