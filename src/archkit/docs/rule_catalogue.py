"""The compliance rule catalogue page, generated from the rules' metadata (`catalogue()`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from archkit.docs.checkov_comparison import checkov_comparison_markdown
from archkit.docs.markdown import code, codes, generated_page, join_blocks, table, text
from archkit.docs.views.base import RuleInfo

COMMAND = "archkit docs"
SOURCE = "archkit.verify.rules"

COUNTERPART_TITLES: dict[str, str] = {
    "security_hub": "Security Hub",
    "cdk_nag": "cdk-nag",
    "checkov": "checkov",
    "prowler": "Prowler",
    "config": "AWS Config",
    "cis": "CIS",
}


def load_catalogue() -> tuple[list[Any], dict[str, str]]:
    """Every rule's metadata (sorted by id) and the layer titles, from the rules package."""
    from archkit.verify.rules.base import LAYER_TITLES
    from archkit.verify.rules.catalogue import catalogue

    return sorted(catalogue(), key=lambda m: m.id), dict(LAYER_TITLES)


def rule_infos(metas: Sequence[Any]) -> list[RuleInfo]:
    """The slice of rule metadata the architecture pages use (the security page lists rules per layer)."""
    return [RuleInfo(id=m.id, title=m.title, severity=m.severity, layer=m.layer) for m in metas]


def anchor(rule_id: str) -> str:
    """Anchor of a rule's section on the catalogue page (the heading is the id itself)."""
    return rule_id.lower()


def _counterparts(meta: Any) -> list[tuple[str, tuple[str, ...]]]:
    items = meta.counterparts.items() if hasattr(meta.counterparts, "items") else []
    return [(COUNTERPART_TITLES.get(name, name), tuple(ids)) for name, ids in items if ids]


def _counterparts_cell(meta: Any) -> str:
    parts = [f"{title}: {codes(ids)}" for title, ids in _counterparts(meta)]
    return "<br>".join(parts) if parts else "—"


def _layer_tables(metas: Sequence[Any], layers: Mapping[str, str]) -> list[str]:
    blocks = []
    known = list(layers) + sorted({m.layer for m in metas} - set(layers))
    for layer in known:
        in_layer = [m for m in metas if m.layer == layer]
        if not in_layer:
            continue
        rows = [
            (
                f"[{code(m.id)}](#{anchor(m.id)})",
                text(m.title),
                m.severity,
                code(m.resource_type),
                _counterparts_cell(m),
            )
            for m in in_layer
        ]
        blocks.append(
            join_blocks(
                f"## {layers.get(layer, layer)}",
                table(["Rule", "A compliant resource", "Severity", "Checks", "Counterparts"], rows),
            )
        )
    return blocks


def _rule_section(meta: Any, layers: Mapping[str, str]) -> str:
    facts = table(
        ["", ""],
        [
            ("Severity", meta.severity),
            ("Layer", text(layers.get(meta.layer, meta.layer))),
            ("Enforces", text(meta.enforces)),
            ("Checks", code(meta.resource_type)),
            *((title, codes(ids)) for title, ids in _counterparts(meta)),
        ],
    )
    return join_blocks(
        f"### {meta.id}",
        f"**{text(meta.title)}**",
        facts,
        text(meta.description) if meta.description else "",
        f"**Remediation.** {text(meta.remediation)}",
        f"**Differs from cdk-nag.** {text(meta.differences)}" if meta.differences else "",
    )


def rule_catalogue_markdown(metas: Sequence[Any], layers: Mapping[str, str]) -> str:
    """The whole catalogue page: one table per layer, then a section per rule (anchor = lower-case id)."""
    severities: dict[str, int] = {}
    for meta in metas:
        severities[meta.severity] = severities.get(meta.severity, 0) + 1
    counts = ", ".join(f"{n} {sev}" for sev, n in severities.items())
    intro = (
        f"{len(metas)} rules ({counts}). Each rule is a pure function of one resource state, so the same "
        "rule runs on the spec before deploy (`archkit verify --static`) and on the account after "
        "(`archkit verify`). "
        "To accept a finding, add a suppression with a reason to the spec: see "
        "[Suppress a finding](../how-to/suppress-a-finding.md)."
    )
    return generated_page(
        "Compliance rule catalogue",
        SOURCE,
        COMMAND,
        intro,
        *_layer_tables(metas, layers),
        checkov_comparison_markdown(metas, anchor),
        "## Rules",
        *(_rule_section(m, layers) for m in metas),
    )
