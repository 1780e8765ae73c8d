"""The event-pipeline example (no API, no VPC): each single change behind the spec's back to one of its event
resources is reported by verify exactly (the right resource and attribute, and nothing else), then undone.

Uses the harness' one deployment of the example (`examples.account`)."""

from __future__ import annotations

import pytest

from archkit.emulate.changes import CHANGES, EXTRA_SUBSCRIBER

from .conftest import Examples

NAME = "event-pipeline"

Finding = tuple[str, str, str, str]
"""(kind, change or rule id, spec path, attribute)."""

EXPECTED: dict[str, set[Finding]] = {
    "queue-visibility": {("drift", "changed", "queues.imports", "visibility_timeout")},
    "queue-redrive-removed": {
        ("drift", "changed", "queues.imports", "dead_letter"),
        ("drift", "changed", "queues.imports", "max_receive_count"),
        ("compliance", "ARCH-SQS-002", "queues.imports", "dead_letter"),
    },
    "topic-unencrypted": {
        ("drift", "changed", "topics.alerts", "encryption"),
        ("drift", "changed", "topics.alerts", "kms_key"),
        ("compliance", "ARCH-SNS-001", "topics.alerts", "encryption"),
    },
    "topic-subscriber-added": {
        ("drift", "changed", "topics.alerts", f"subscriptions[{EXTRA_SUBSCRIBER}]"),
    },
    "queue-public": {
        ("drift", "changed", "queues.imports", "policy[Allow *]"),
        ("compliance", "ARCH-SQS-001", "queues.imports", "policy[Allow *]"),
    },
    "schedule-disabled": {("drift", "changed", "schedules.nightly", "enabled")},
    "trigger-batch-size": {
        ("drift", "changed", "functions.ingest", "event_sources[queues.imports].batch_size"),
    },
    "async-retries": {("drift", "changed", "functions.nightly_report", "async_invoke.retries")},
    "notifications-removed": {
        ("drift", "changed", "buckets.uploads", "notifications[s3:ObjectCreated:* incoming/*.csv]"),
    },
}


def _findings(account) -> set[Finding]:  # type: ignore[no-untyped-def]
    return {
        (f.kind, f.change or f.rule_id or "", f.resource, f.attribute or "")
        for f in account.verify().report.findings
        if f.kind != "not_checked" and not f.suppressed
    }


@pytest.mark.slow
def test_each_change_is_found_exactly(examples: Examples) -> None:
    account = examples.account(NAME)
    assert _findings(account) == set(), "the example must verify clean before the changes"
    found = {}
    for name in EXPECTED:
        with account.changed(name):
            found[name] = _findings(account)
    assert found == EXPECTED
    assert _findings(account) == set(), "every change is undone"


def test_every_event_change_is_exercised() -> None:
    """A new change for an event kind gets an expectation here."""
    event_changes = {
        name
        for name in CHANGES
        if name.split("-")[0] in {"queue", "topic", "schedule", "trigger", "async", "notifications"}
    }
    assert event_changes == set(EXPECTED)


def test_expected_values_of_the_changes(examples: Examples) -> None:
    """The values verify reports are the spec's and the changed ones."""
    account = examples.account(NAME)
    with account.changed("queue-visibility", "trigger-batch-size"):
        report = account.verify().report
    values = {(f.resource, f.attribute): (f.expected, f.actual) for f in report.findings if f.kind == "drift"}
    assert values == {
        ("queues.imports", "visibility_timeout"): (360, 720),
        ("functions.ingest", "event_sources[queues.imports].batch_size"): (5, 10),
    }
