"""The DynamoDB page: one section per table with keys, global secondary indexes and features."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, or_dash, table, text, yes_no
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.conventions import (
    STREAM_FAILURE_RETENTION_DAYS,
    TABLE_ENCRYPTION_LABELS,
    stream_failure_queue_name,
    stream_failure_queue_path,
    stream_failure_tables,
)
from archkit.spec.naming import kms_alias, physical_name

if TYPE_CHECKING:
    from archkit.spec import ArchSpec
    from archkit.spec.data import KeySpec, TableSpec


def _key(key: KeySpec | None) -> str:
    return "—" if key is None else f"{code(key.name)} ({key.type})"


def _indexes(table_spec: TableSpec) -> str:
    rows = []
    for name, index in table_spec.indexes.items():
        projection: str = index.projection
        if projection == "include":
            projection += ": " + codes(index.non_key_attributes)
        rows.append((code(name), _key(index.partition_key), _key(index.sort_key), projection))
    return table(
        ["Index", "Partition key", "Sort key", "Projection"], rows, empty="No global secondary indexes."
    )


def _capacity(table_spec: TableSpec) -> str:
    if table_spec.billing == "on_demand":
        return "on-demand (pay per request)"
    text_ = f"provisioned: {table_spec.read_capacity} reads, {table_spec.write_capacity} writes"
    scaling = table_spec.auto_scaling
    if scaling:
        text_ += (
            f"; auto scaling {scaling.min_capacity}-{scaling.max_capacity} units at "
            f"{scaling.target_utilization}% utilisation"
        )
    return text_


def _encryption(spec: ArchSpec, table_spec: TableSpec) -> str:
    if table_spec.encryption == "customer_managed" and table_spec.kms_key:
        return f"customer-managed KMS key {code(kms_alias(spec, table_spec.kms_key))}"
    return TABLE_ENCRYPTION_LABELS[table_spec.encryption]


def _stream(table_spec: TableSpec) -> str:
    stream = table_spec.stream
    if stream is None:
        return "no"
    consumer = f"→ function {code(stream.consumer)}" if stream.consumer else "no consumer"
    dlq = ", failed records to an SQS queue" if stream.on_failure_queue else ""
    return (
        f"{code(stream.view)} {consumer} (batch {stream.batch_size}, from {stream.starting_position}, "
        f"{stream.retry_attempts} retries{dlq})"
    )


def _features(spec: ArchSpec, table_spec: TableSpec) -> str:
    return key_values(
        [
            ("Capacity", _capacity(table_spec)),
            ("Point-in-time recovery", yes_no(table_spec.point_in_time_recovery)),
            ("Encryption at rest", _encryption(spec, table_spec)),
            ("Holds sensitive data", yes_no(table_spec.sensitive)),
            ("Stream", _stream(table_spec)),
            ("Global table replicas", codes(table_spec.replicas, "none (single region)")),
            ("Time to live attribute", or_dash(table_spec.ttl_attribute)),
            ("Deletion protection", yes_no(table_spec.deletion_protection)),
            ("Table class", code(table_spec.table_class)),
        ]
    )


def _readers(spec: ArchSpec, key: str) -> str:
    path = f"tables.{key}"
    rows = [(code(f), code(fn.grants[path].access)) for f, fn in spec.functions.items() if path in fn.grants]
    return table(["Function", "Access"], rows, empty="No function is granted access.")


def _queue_section(spec: ArchSpec, key: str) -> str:
    if key not in stream_failure_tables(spec):
        return ""
    return section(
        "Stream failure queue",
        key_values(
            [
                ("Name", code(stream_failure_queue_name(spec, key))),
                ("Receives", "the stream batches its consumer failed to process"),
                ("Encryption", "SSE-SQS"),
                ("Retention", f"{STREAM_FAILURE_RETENTION_DAYS} days"),
                ("Queue policy", "denies every request without TLS"),
            ]
        ),
        level=3,
        anchor=stream_failure_queue_path(key),
    )


def _table_section(spec: ArchSpec, key: str, table_spec: TableSpec) -> str:
    keys = key_values(
        [
            ("Name", code(physical_name(spec, key, "tables"))),
            ("Description", text(table_spec.description) or "—"),
            ("Partition key", _key(table_spec.partition_key)),
            ("Sort key", _key(table_spec.sort_key)),
            ("Other attributes", codes(f"{n} ({t})" for n, t in table_spec.attributes.items())),
        ]
    )
    return section(
        f"Table {code(key)}",
        keys,
        section("Global secondary indexes", _indexes(table_spec), level=3),
        section("Features", _features(spec, table_spec), level=3),
        _queue_section(spec, key),
        section("Access", _readers(spec, key), level=3),
        anchor=f"tables.{key}",
    )


def body(spec: ArchSpec, ctx: PageContext) -> str:
    if not spec.tables:
        return "The spec declares no DynamoDB tables.\n"
    summary = table(
        ["Table", "Name", "Partition key", "Sort key", "Indexes"],
        [
            (
                f"[{code(k)}](#tables.{k})",
                code(physical_name(spec, k, "tables")),
                _key(t.partition_key),
                _key(t.sort_key),
                codes(t.indexes),
            )
            for k, t in spec.tables.items()
        ],
    )
    return join_blocks(summary, *[_table_section(spec, k, t) for k, t in spec.tables.items()])


PAGE = ViewPage(
    file="dynamodb.md",
    title="DynamoDB",
    diagram_views=("dynamodb",),
    intro="Every table with its keys, global secondary indexes and features (billing, recovery, encryption, "
    "streams, global tables).",
    body=body,
)
