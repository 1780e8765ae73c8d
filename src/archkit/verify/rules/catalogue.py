"""The rule catalogue as data and as a Markdown page, generated from the rules' metadata."""

from __future__ import annotations

from archkit.verify.rules.base import LAYER_TITLES, SEVERITIES, RuleMeta

COUNTERPART_TITLES: dict[str, str] = {
    "security_hub": "Security Hub",
    "cdk_nag": "cdk-nag",
    "checkov": "checkov",
    "prowler": "Prowler",
    "config": "AWS Config",
    "cis": "CIS",
}


def catalogue() -> list[RuleMeta]:
    """Metadata of every rule, sorted by id (imports no boto3)."""
    from archkit.verify.rules.registry import all_rules

    return [r.meta for r in all_rules()]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def counterparts_text(meta: RuleMeta, sep: str = "<br>") -> str:
    parts = [
        f"{COUNTERPART_TITLES[name]}: {', '.join(ids)}" for name, ids in meta.counterparts.items() if ids
    ]
    return sep.join(parts) if parts else "—"


def catalogue_markdown(metas: list[RuleMeta] | None = None) -> str:
    """The catalogue page: one table per layer, then each rule's remediation and differences."""
    metas = catalogue() if metas is None else metas
    lines = [
        "# Compliance rule catalogue",
        "",
        "Generated from the rule metadata (`archkit rules --format markdown`); do not edit by hand.",
        "Each rule is a pure function of one resource state, so it runs on the spec before deploy "
        "(`archkit verify --static`) and on the account after (`archkit verify`).",
        "Suppress a finding in the spec under `compliance.suppressions` with the rule id, the resource path "
        "and a reason.",
        "",
        f"{len(metas)} rules. Severities: {', '.join(SEVERITIES)}.",
        "",
    ]
    for layer, title in LAYER_TITLES.items():
        in_layer = [m for m in metas if m.layer == layer]
        if not in_layer:
            continue
        lines += [
            f"## {title}",
            "",
            "| Id | Rule | Severity | Resource | Counterparts |",
            "|---|---|---|---|---|",
        ]
        for m in in_layer:
            lines.append(
                f"| [{m.id}](#{m.id.lower()}) | {_cell(m.title)} | {m.severity} | `{m.resource_type}` | "
                f"{_cell(counterparts_text(m))} |"
            )
        lines.append("")
    lines += ["## Rules", ""]
    for m in metas:
        lines += [
            f"### {m.id}",
            "",
            f"**{m.title}** — {m.severity}, {LAYER_TITLES[m.layer]}: {m.enforces}.",
            "",
        ]
        if m.description:
            lines += [m.description, ""]
        lines += [f"*Remediation:* {m.remediation}", ""]
        if m.differences:
            lines += [f"*Differs from cdk-nag:* {m.differences}", ""]
    return "\n".join(lines).rstrip() + "\n"
