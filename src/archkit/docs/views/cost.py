"""The cost page: compute, storage and transfer measures, monitoring, and the cost-allocation tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, table, yes_no
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.conventions import cost_scope
from archkit.spec.naming import cost_tags
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.spec import ArchSpec


def _compute(spec: ArchSpec) -> str:
    return table(
        ["Function", "Architecture", "Memory (right-sizing)", "Reserved concurrency"],
        [
            (
                code(k),
                code(fn.architecture),
                f"{fn.memory} MB",
                "unreserved" if fn.reserved_concurrency is None else str(fn.reserved_concurrency),
            )
            for k, fn in spec.functions.items()
        ],
        empty="No functions.",
    )


def _storage(spec: ArchSpec) -> str:
    rows = []
    for key, bucket in spec.buckets.items():
        for rule in bucket.lifecycle:
            steps = [f"{t.storage_class} after {count(t.days, 'day')}" for t in rule.transitions]
            if rule.expiration_days:
                steps.append(f"expire after {count(rule.expiration_days, 'day')}")
            rows.append((code(key), f"lifecycle {code(rule.id)}", code(rule.prefix), ", ".join(steps) or "—"))
        tiering = bucket.intelligent_tiering
        if tiering.enabled:
            tiers = []
            if tiering.archive_access_days:
                tiers.append(f"archive access after {count(tiering.archive_access_days, 'day')}")
            if tiering.deep_archive_access_days:
                tiers.append(f"deep archive after {count(tiering.deep_archive_access_days, 'day')}")
            rows.append((code(key), "Intelligent-Tiering", code(tiering.prefix), ", ".join(tiers) or "—"))
    for key, tbl in spec.tables.items():
        rows.append((code(key), "DynamoDB capacity", "—", f"{tbl.billing}, class {tbl.table_class}"))
    return table(["Store", "Measure", "Prefix", "Effect"], rows, empty="No storage measures.")


def _transfer(spec: ArchSpec) -> str:
    gateway = [ep.service for ep in spec.network.endpoints if ep.type == "gateway"]
    interface = [ep.service for ep in spec.network.endpoints if ep.type == "interface"]
    cdn = spec.edge.cdn
    return key_values(
        [
            ("Gateway VPC endpoints (free)", codes(gateway, "none")),
            ("Interface VPC endpoints", codes(interface, "none")),
            ("NAT gateways", str(spec.network.nat_gateways)),
            ("CloudFront", f"{yes_no(cdn.enabled)}, {code(cdn.price_class)}"),
            ("Compression at the edge", yes_no(cdn.compression)),
            (
                "API response compression",
                "off"
                if spec.api.minimum_compression_size is None
                else f"above {spec.api.minimum_compression_size} bytes",
            ),
        ]
    )


def _monitoring(spec: ArchSpec) -> str:
    cost = spec.cost
    budgets = table(
        ["Budget", "Amount", "Period", "Alerts", "Subscribers"],
        [
            (
                code(k),
                f"{b.amount:g} {b.currency}",
                b.period.lower(),
                ", ".join(f"{a.threshold_percent:g}% {a.type.lower()}" for a in b.alerts) or "none",
                codes(b.emails),
            )
            for k, b in cost.budgets.items()
        ],
        empty="No budgets.",
    )
    anomaly = cost.anomaly_detection
    settings = key_values(
        [
            ("Cost Explorer", yes_no(cost.cost_explorer)),
            (
                "Scope of budgets and anomaly detection",
                " and ".join(f"{code(k)} = {code(v)}" for k, v in cost_scope(spec).items())
                + " (cost-allocation tags; they count nothing until activated in the billing console)",
            ),
            (
                "Anomaly detection",
                f"{yes_no(anomaly.enabled)}: {anomaly.frequency.lower()} alerts above "
                f"{anomaly.threshold_amount:g} USD to {codes(anomaly.emails, 'nobody')}"
                if anomaly.enabled
                else "no",
            ),
        ]
    )
    return settings + "\n" + section("Budget alerts", budgets, level=3)


def _tags(spec: ArchSpec) -> str:
    tags = table(["Tag", "Value"], [(code(k), code(v)) for k, v in cost_tags(spec).items()])
    return join_blocks(
        *[
            f"Activated for cost allocation: {codes(spec.cost.allocation_tags, 'none')}.\n",
            tags,
        ]
    )


def body(spec: ArchSpec, ctx: PageContext) -> str:
    return join_blocks(
        *[
            section("Compute optimisation", _compute(spec)),
            section("Storage optimisation", _storage(spec)),
            section("Data transfer", _transfer(spec)),
            section("Monitoring", _monitoring(spec)),
            section("Cost allocation", _tags(spec)),
        ]
    )


PAGE = ViewPage(
    file="cost.md",
    title="Cost optimisation",
    diagram_views=("cost",),
    intro="Where the spec saves money (ARM64, right-sizing, lifecycle, endpoints, compression) and how "
    "spend is watched and allocated.",
    body=body,
    rule_layers=("cost",),
)
