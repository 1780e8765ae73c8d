"""``cost``: compute, storage, data transfer and monitoring measures, and the cost-allocation tags."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from archkit.diagram.model import View, ViewBuilder
from archkit.diagram.views.common import on_off, plural, storage_class
from archkit.spec.naming import cost_tags

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec


def _span(values: list[int], unit: str) -> str:
    lo, hi = min(values), max(values)
    return f"{lo} {unit}" if lo == hi else f"{lo}-{hi} {unit}"


def build(spec: ArchSpec) -> View:
    b = ViewBuilder("cost", "Cost Optimization Architecture", "TB")
    fns = list(spec.functions.values())

    g = b.group("pillar#compute", "Compute optimization", kind="pillar", ref=None)
    if fns:
        arm = sum(f.architecture == "arm64" for f in fns)
        b.node(
            "cost#lambda_arm64",
            "Lambda ARM64 (Graviton)",
            "feature",
            group=g,
            ref=None,
            off=arm == 0,
            details=[f"{arm} of {plural(len(fns), 'function')}"],
        )
        b.node(
            "cost#right_sizing",
            "Right-sizing",
            "feature",
            group=g,
            ref=None,
            details=[_span([f.memory for f in fns], "MB"), _span([f.timeout for f in fns], "s timeout")],
        )
        reserved = [f.reserved_concurrency for f in fns if f.reserved_concurrency is not None]
        b.node(
            "cost#reserved_concurrency",
            "Reserved concurrency",
            "feature",
            group=g,
            ref=None,
            off=not reserved,
            details=[f"{plural(len(reserved), 'function')}, {sum(reserved)} in total"]
            if reserved
            else ["none"],
        )
    else:
        b.node("cost#compute", "No Lambda functions", "note", group=g, ref=None)

    g = b.group("pillar#storage", "Storage optimization", kind="pillar", ref=None)
    for key, bucket in spec.buckets.items():
        rules = [r.id for r in bucket.lifecycle]
        b.node(
            f"buckets.{key}.lifecycle",
            f"S3 lifecycle · {key}",
            "feature",
            group=g,
            off=not rules,
            details=rules or ["no rules"],
        )
        transitions = sorted(
            {(t.storage_class, t.days) for r in bucket.lifecycle for t in r.transitions}, key=lambda x: x[1]
        )
        if transitions:
            classes = dict.fromkeys(storage_class(c) for c, _ in transitions)
            b.node(
                f"buckets.{key}.lifecycle#transitions",
                f"{' / '.join(classes)} · {key}",
                "feature",
                group=g,
                ref=None,
                details=[f"{storage_class(c)} after {d} d" for c, d in transitions],
            )
        tiering = bucket.intelligent_tiering
        if tiering.enabled:
            b.node(
                f"buckets.{key}.intelligent_tiering",
                f"Intelligent-Tiering · {key}",
                "feature",
                group=g,
                details=[tiering.prefix or "whole bucket"],
            )
    for key, table in spec.tables.items():
        b.node(
            f"tables.{key}.billing",
            f"DynamoDB {key}",
            "feature",
            group=g,
            details=[table.billing.replace("_", "-"), table.table_class.lower().replace("_", " ")],
        )

    g = b.group("pillar#transfer", "Data transfer", kind="pillar", ref=None)
    gateway = [ep.service for ep in spec.network.endpoints if ep.type == "gateway"]
    interface = [ep.service for ep in spec.network.endpoints if ep.type == "interface"]
    b.node(
        "network.endpoints",
        "VPC endpoints",
        "feature",
        group=g,
        off=not spec.network.endpoints,
        details=[f"gateway (free): {', '.join(gateway) or '-'}", f"interface: {', '.join(interface) or '-'}"],
    )
    cdn = spec.edge.cdn
    b.node(
        "edge.cdn.price_class",
        "CloudFront",
        "feature",
        group=g,
        off=not cdn.enabled,
        details=[cdn.price_class, "edge caching of static assets"] if cdn.enabled else ["off"],
    )
    compression = [f"CloudFront {on_off(cdn.enabled and cdn.compression)}"]
    if spec.api.routes:
        size = spec.api.minimum_compression_size
        compression.append(f"API > {size} bytes" if size is not None else "API off")
    b.node("cost#compression", "Compression", "feature", group=g, ref=None, details=compression)

    g = b.group("pillar#monitoring", "Monitoring", kind="pillar", ref=None)
    c = spec.cost
    b.node(
        "cost.cost_explorer",
        "Cost Explorer",
        "costexplorer",
        group=g,
        off=not c.cost_explorer,
        details=["allocation tags activated"] if c.cost_explorer else [],
    )
    for key, budget in c.budgets.items():
        alerts = [f"{a.threshold_percent:g}% {a.type.lower()}" for a in budget.alerts]
        b.node(
            f"cost.budgets.{key}",
            f"Budget alerts · {key}",
            "budget",
            group=g,
            details=[f"{budget.amount:,g} {budget.currency} {budget.period.lower()}", ", ".join(alerts)],
        )
    ad = c.anomaly_detection
    b.node(
        "cost.anomaly_detection",
        "Anomaly detection",
        "anomaly",
        group=g,
        off=not ad.enabled,
        details=[f"> {ad.threshold_amount:g} USD, {ad.frequency.lower()}"] if ad.enabled else [],
    )

    g = b.group("pillar#allocation", "Cost allocation", kind="pillar", ref=None)
    tags = cost_tags(spec)
    b.node(
        "cost.allocation_tags",
        "Tags",
        "tags",
        group=g,
        details=[f"{k}={tags.get(k, '(per resource)')}" for k in c.allocation_tags]
        + [f"{k}={v}" for k, v in tags.items() if k not in c.allocation_tags],
    )

    # The seed's grid: compute | storage, then data transfer | monitoring, then cost allocation;
    # each pillar a column of bullets.
    columns = {
        p: b.members(f"pillar#{p}") for p in ("compute", "storage", "transfer", "monitoring", "allocation")
    }
    for members in columns.values():
        for upper, lower in pairwise(members):
            b.order(upper, lower)
    for upper, lower in (("compute", "transfer"), ("storage", "monitoring"), ("transfer", "allocation")):
        if columns[upper] and columns[lower]:
            b.order(columns[upper][-1], columns[lower][0])
    return b.build()
