"""Held-out style bad input for the event elements: variants of specs/examples/event-pipeline.yaml, each with
one mistake a user makes, fail with exactly one located issue (file:line:col, spec path, did-you-mean).

A variant replaces one line's text, so the expected line is the line of that text in the example."""

from __future__ import annotations

import pytest

from archkit.spec import parse_spec_text

from .spec_helpers import ROOT, text_issues

EXAMPLE = ROOT / "specs" / "examples" / "event-pipeline.yaml"
TEXT = EXAMPLE.read_text()

# (id, text replaced, replacement, spec path, text of the line the issue points at (None: the replaced text),
# message fragment)
MUTATIONS: list[tuple[str, str, str, str, str | None, str]] = [
    (
        "trigger-unknown-queue",
        "- {queue: imports, batch_size: 5",
        "- {queue: import, batch_size: 5",
        "functions.ingest.triggers.0.queue",
        None,
        "unknown queue 'import'; did you mean 'imports'?",
    ),
    (
        "trigger-shorthand-unknown-queue",
        "      - {queue: imports, batch_size: 5, batching_window: 0, report_failures: true}",
        "      - imprts",
        "functions.ingest.triggers.0.queue",
        None,
        "unknown queue 'imprts'; did you mean 'imports'?",
    ),
    (
        "trigger-unknown-key",
        "batching_window: 0, report_failures: true}",
        "batching_window: 0, report_failure: true}",
        "functions.ingest.triggers.0.report_failure",
        None,
        "unknown key 'report_failure'; did you mean 'report_failures'?",
    ),
    (
        "trigger-visibility-below-timeout",
        "visibility_timeout: 360 ",
        "visibility_timeout: 30 ",
        "functions.ingest.triggers.0.queue",
        "- {queue: imports, batch_size: 5",
        "queues.imports.visibility_timeout (30 s) is below the function's timeout (60 s)",
    ),
    (
        "trigger-big-batch-without-window",
        "batch_size: 5, batching_window: 0",
        "batch_size: 50, batching_window: 0",
        "functions.ingest.triggers.0.batch_size",
        None,
        "a batch size above 10 needs a batching_window of at least 1 s",
    ),
    (
        "notification-unknown-queue",
        "suffix: .csv, queue: imports}",
        "suffix: .csv, queue: imprts}",
        "buckets.uploads.notifications.0.queue",
        None,
        "unknown queue 'imprts'; did you mean 'imports'?",
    ),
    (
        "notification-two-targets",
        "suffix: .csv, queue: imports}",
        "suffix: .csv, queue: imports, topic: alerts}",
        "buckets.uploads.notifications.0.topic",
        None,
        "give exactly one of function, queue or topic, not queue and topic",
    ),
    (
        "notification-undeclared-prefix",
        "prefix: incoming/, suffix",
        "prefix: incomming/, suffix",
        "buckets.uploads.notifications.0.prefix",
        None,
        "unknown prefix of buckets.uploads 'incomming/'; did you mean 'incoming/'?",
    ),
    (
        "notification-event-typo",
        "events: [object_created]",
        "events: [object_create]",
        "buckets.uploads.notifications.0.events.0",
        None,
        "object_created",
    ),
    (
        "queue-unknown-key",
        "    kms_key: pipeline\n    visibility_timeout",
        "    kms_key: pipline\n    visibility_timeout",
        "queues.imports.kms_key",
        None,
        "unknown KMS key 'pipline'; did you mean 'pipeline'?",
    ),
    (
        "queue-kms-without-key",
        "    kms_key: pipeline\n    visibility_timeout",
        "    visibility_timeout",
        "queues.imports.kms_key",
        "  imports:\n    description: One message",
        "encryption: kms needs a kms_key",
    ),
    (
        "queue-retention-too-long",
        "    retention_days: 4\n",
        "    retention_days: 15\n",
        "queues.imports.retention_days",
        None,
        "less than or equal to 14",
    ),
    (
        "dead-letter-typo",
        "dead_letter: {max_receive_count: 5",
        "dead_letter: {max_receives: 5",
        "queues.imports.dead_letter.max_receives",
        None,
        "unknown key 'max_receives'; did you mean 'max_receive_count'?",
    ),
    (
        "topic-bad-email",
        "- {email: data-oncall@example.com}",
        "- {email: data-oncall}",
        "topics.alerts.subscriptions.0.email",
        None,
        "'data-oncall' is not an email address",
    ),
    (
        "topic-unknown-function",
        "- {email: data-oncall@example.com}",
        "- {function: ingset}",
        "topics.alerts.subscriptions.0.function",
        None,
        "unknown function 'ingset'; did you mean 'ingest'?",
    ),
    (
        "topic-no-target",
        "- {email: data-oncall@example.com}",
        "- {}",
        "topics.alerts.subscriptions.0",
        "      - {}",
        "give exactly one target: email, queue or function",
    ),
    (
        "schedule-unknown-function",
        "    function: nightly_report\n",
        "    function: nightly_reprot\n",
        "schedules.nightly.function",
        None,
        "unknown function 'nightly_reprot'; did you mean 'nightly_report'?",
    ),
    (
        "schedule-bad-expression",
        "expression: cron(0 2 * * ? *)",
        "expression: cron(0 2 * *)",
        "schedules.nightly.expression",
        None,
        "'cron(0 2 * *)' is not a schedule expression: cron(minutes hours",
    ),
    (
        "async-unknown-topic",
        "on_failure: {topic: alerts}",
        "on_failure: {topic: alert}",
        "functions.nightly_report.async_invoke.on_failure.topic",
        None,
        "unknown topic 'alert'; did you mean 'alerts'?",
    ),
    (
        "async-retries-out-of-range",
        "      retries: 1\n",
        "      retries: 3\n",
        "functions.nightly_report.async_invoke.retries",
        None,
        "less than or equal to 2",
    ),
    (
        "provisioned-above-reserved",
        "    provisioned_concurrency: 1\n",
        "    provisioned_concurrency: 11\n",
        "functions.ingest.provisioned_concurrency",
        None,
        "11 provisioned environments exceed the reserved concurrency (10)",
    ),
    (
        "network-off-with-vpc-function",
        "    vpc: false\n    environment:\n      TABLE_NAME: ${tables.records.name}\n      BUCKET_NAME",
        "    vpc: true\n    environment:\n      TABLE_NAME: ${tables.records.name}\n      BUCKET_NAME",
        "functions.ingest.vpc",
        None,
        "the function is placed in the VPC but no private subnet is declared",
    ),
]


def test_the_example_is_valid() -> None:
    for env in ("prod", "dev"):
        spec = parse_spec_text(TEXT, str(EXAMPLE), env)
        assert spec.functions["ingest"].triggers[0].queue == "imports"


def _line(text: str, fragment: str) -> int:
    """1-based line where ``fragment`` starts (after its leading newlines)."""
    assert text.count(fragment) == 1, f"must occur once: {fragment!r}"
    start = text.index(fragment) + len(fragment) - len(fragment.lstrip("\n"))
    return text[:start].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "path", "at", "message"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_one_mistake_one_located_issue(old: str, new: str, path: str, at: str | None, message: str) -> None:
    assert TEXT.count(old) == 1, f"the mutation's text must occur once: {old!r}"
    mutated = TEXT.replace(old, new)
    issues = text_issues(mutated, "event-pipeline.yaml", "prod")
    assert [(i.path, message in i.message) for i in issues] == [(path, True)], [str(i) for i in issues]
    (issue,) = issues
    assert issue.file == "event-pipeline.yaml"
    first = _line(mutated, at if at is not None else new)
    assert issue.line is not None and first <= issue.line <= first + (at or new).strip("\n").count("\n")
    assert issue.column is not None
