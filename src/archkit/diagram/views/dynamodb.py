"""``dynamodb``: each table with keys, GSIs and features, its stream consumer and the functions using it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.diagram.model import View, ViewBuilder
from archkit.diagram.views.common import access_label, key_label, on_off, store_access, wrap
from archkit.spec.conventions import (
    PITR_RECOVERY_DAYS,
    STREAM_FAILURE_RETENTION_DAYS,
    TABLE_ENCRYPTION_LABELS,
    stream_failure_queue_name,
    stream_failure_tables,
)

if TYPE_CHECKING:
    from archkit.spec.data import TableSpec
    from archkit.spec.system import ArchSpec

ENCRYPTION = TABLE_ENCRYPTION_LABELS


def build(spec: ArchSpec) -> View:
    b = ViewBuilder("dynamodb", "DynamoDB Architecture", "LR")
    if not spec.tables:
        b.node("tables", "No DynamoDB tables declared", "note", ref=None)
    readers: dict[str, dict[str, set[str]]] = {}
    for key, table in spec.tables.items():
        path = f"tables.{key}"
        b.group(f"table#{key}", f"Table {key} — {spec.name_of(key, 'tables')}", kind="table", ref=None)
        details = [*wrap(table.description, 36)] if table.description else []
        details += [f"Partition key: {key_label(table.partition_key)}"]
        if table.sort_key:
            details.append(f"Sort key: {key_label(table.sort_key)}")
        b.node(path, key, "dynamodb", group=f"table#{key}", details=details)
        for name, index in table.indexes.items():
            lines = [f"Partition key: {key_label(index.partition_key)}"]
            if index.sort_key:
                lines.append(f"Sort key: {key_label(index.sort_key)}")
            projection = index.projection + (
                f" ({', '.join(index.non_key_attributes)})" if index.non_key_attributes else ""
            )
            lines.append(f"projection: {projection}")
            b.node(f"{path}.indexes.{name}", f"GSI {name}", "gsi", group=f"table#{key}", details=lines)
            b.edge(path, f"{path}.indexes.{name}", "index")
        _features(b, spec, key, table)
        readers[path] = store_access(spec, path)

    consumers = {t.stream.consumer for t in spec.tables.values() if t.stream and t.stream.consumer}
    users = [k for k in spec.functions if k in consumers or any(k in r for r in readers.values())]
    if users:
        b.group("functions", "Lambda functions", kind="functions", ref=None)
        for fn in users:
            b.node(f"functions.{fn}", fn, "lambda", group="functions", details=[spec.functions[fn].handler])
    for path, access in readers.items():
        for fn, levels in access.items():
            label = access_label(levels)
            b.edge(f"functions.{fn}", path, label, kind=label)
    for key, table in spec.tables.items():
        if table.stream and table.stream.consumer:
            b.edge(
                f"tables.{key}.stream",
                f"functions.{table.stream.consumer}",
                "stream",
                kind="stream",
                constraint=False,
            )

    keys = sorted(
        {t.kms_key for t in spec.tables.values() if t.encryption == "customer_managed" and t.kms_key}
    )
    if keys:
        b.group("kms", "KMS keys", kind="kms", ref=None)
        for k in keys:
            b.node(
                f"security.kms_keys.{k}",
                k,
                "kms",
                group="kms",
                details=[
                    f"alias/{spec.name_of(k)}",
                    f"rotation {on_off(spec.security.kms_keys[k].rotation)}",
                ],
            )
        for key, table in spec.tables.items():
            if table.encryption == "customer_managed" and table.kms_key:
                b.edge(
                    f"tables.{key}.encryption",
                    f"security.kms_keys.{table.kms_key}",
                    "encrypts with",
                    kind="flow",
                    constraint=False,
                )
    return b.build()


def _features(b: ViewBuilder, spec: ArchSpec, key: str, table: TableSpec) -> None:
    path = f"tables.{key}"
    group = b.group(f"table#{key}#features", "Features", parent=f"table#{key}", kind="features", ref=None)

    def feature(attr: str, label: str, details: list[str], on: bool = True) -> None:
        b.node(
            f"{path}.{attr}",
            label if on else f"{label} (off)",
            "feature",
            group=group,
            details=details,
            off=not on,
        )
        b.order(path, f"{path}.{attr}")  # features right of the table

    if table.billing == "on_demand":
        feature("billing", "On-demand billing", ["pay per request", f"class {table.table_class}"])
        feature("auto_scaling", "Auto scaling", ["built into on-demand capacity"])
    else:
        feature(
            "billing",
            "Provisioned billing",
            [f"{table.read_capacity} RCU · {table.write_capacity} WCU", f"class {table.table_class}"],
        )
        scaling = table.auto_scaling
        feature(
            "auto_scaling",
            "Auto scaling",
            [f"{scaling.min_capacity}-{scaling.max_capacity} units @ {scaling.target_utilization}%"]
            if scaling
            else ["fixed capacity"],
            on=scaling is not None,
        )
    feature(
        "point_in_time_recovery",
        "Point-in-time recovery",
        [f"continuous backups, {PITR_RECOVERY_DAYS} days"],
        on=table.point_in_time_recovery,
    )
    kms = f" ({table.kms_key})" if table.kms_key else ""
    feature("encryption", "Encryption at rest", [ENCRYPTION[table.encryption] + kms])
    if table.stream:
        s = table.stream
        feature(
            "stream",
            "DynamoDB Streams → Lambda",
            [
                s.view,
                f"batch {s.batch_size} · {s.retry_attempts} retries",
                "failures to SQS DLQ" if s.on_failure_queue else "no failure queue",
            ],
        )
        if key in stream_failure_tables(spec):
            feature(
                "stream_failures",
                "Stream failure queue (SQS)",
                [
                    stream_failure_queue_name(spec, key),
                    f"SSE-SQS · TLS only · {STREAM_FAILURE_RETENTION_DAYS} days",
                ],
            )
    else:
        feature("stream", "DynamoDB Streams", ["no stream"], on=False)
    regions = [spec.region, *table.replicas]
    feature(
        "replicas",
        "Global table (multi-region)" if table.replicas else "Global table",
        [", ".join(regions)] if table.replicas else ["single region " + spec.region],
        on=bool(table.replicas),
    )
    if table.ttl_attribute:
        feature("ttl_attribute", "Time to live", [f"attribute {table.ttl_attribute}"])
    feature("deletion_protection", "Deletion protection", [], on=table.deletion_protection)
