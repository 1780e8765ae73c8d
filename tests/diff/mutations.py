"""Spec mutations of the reference for the diff tests: each a (old, new, count) text edit, applied exactly."""

from __future__ import annotations

from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "specs" / "reference.yaml"

SORT_KEY = [("sort_key: {name: item_id, type: string}", "sort_key: {name: sku, type: string}", 1)]
RENAME_LOGS_BUCKET = [
    ("_bucket: logs\n", "_bucket: access_logs\n", 2),  # edge.cdn.logs_bucket, assets' access_logs_bucket
    ("\n  logs:\n", "\n  access_logs:\n", 1),
    ("resource: buckets.logs\n", "resource: buckets.access_logs\n", 1),  # ARCH-S3-005's suppression
]
NAT_ONE = [("\n  nat_gateways: 3\n", "\n  nat_gateways: 1\n", 1)]
PITR_OFF = [("point_in_time_recovery: true", "point_in_time_recovery: false", 1)]
WHITESPACE_AND_COMMENT = [("\n  nat_gateways: 3\n", "\n  nat_gateways:   3   # one per AZ\n\n", 1)]


def memory_edit(text: str) -> tuple[str, int, int]:
    """The first function's `memory: 512` (not the dev environment's override) raised to 1024."""
    start = text.index("\nfunctions:")
    at = text.index("memory: 512", start)
    return text[:at] + "memory: 1024" + text[at + len("memory: 512") :], 512, 1024


def apply(text: str, edits: list[tuple[str, str, int]]) -> str:
    for old, new, count in edits:
        found = text.count(old)
        assert found == count, f"expected {count} of {old!r} in the reference, found {found}"
        text = text.replace(old, new)
    return text


def everything(text: str) -> str:
    """One HEAD with every mutation the tests assert on, so one synthesis serves them all."""
    text = apply(text, SORT_KEY + RENAME_LOGS_BUCKET + NAT_ONE + PITR_OFF)
    return memory_edit(text)[0]


GRANT_WIDENED = [("    grants: {tables.main: read}\n", "    grants: {tables.main: read_write}\n", 4)]
SUPPRESSION_ADDED = [
    (
        "  suppressions:\n",
        "  suppressions:\n"
        "    - {rule: ARCH-DDB-001, resource: tables.main, reason: restored from backups nightly}\n",
        1,
    )
]
ROUTE_ADDED = [
    ("  routes:\n", "  routes:\n    /api/orders:\n      GET: list_orders\n", 1),
    (
        "\nfunctions:\n",
        "\nfunctions:\n  list_orders:\n    handler: handlers.users.get_user\n    code: lambda/app\n"
        "    layers: [common]\n    security_groups: [lambda]\n    grants: {tables.main: read}\n",
        1,
    ),
]
DEV_MEMORY = [
    (
        'functions: {"*": {memory: 256, reserved_concurrency: null}}',
        'functions: {"*": {memory: 512, reserved_concurrency: null}}',
        1,
    )
]
