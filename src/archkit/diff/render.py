"""The diff report for people: a terminal table (rich, readable in CI logs) and Markdown for a PR comment.
JSON is :meth:`archkit.diff.model.DiffReport.to_json`."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from archkit.diff.model import CHANGE_KINDS, CLASSES, AttributeChange, Consequence, DiffReport, ResourceChange

EFFECT_MARK = {"worse": "▲ worse", "better": "▼ better", "changed": "● changed"}
"""Words as well as arrows, so the effect reads without colour."""
CLASS_STYLE = {"destructive": "bold red", "security": "magenta", "availability": "yellow", "cost": "cyan"}
CHANGE_MARK = {"added": "+ added", "removed": "- removed", "renamed": "~ renamed", "changed": "~ changed"}
MAX_VALUE = 80


def value(v: Any) -> str:
    text = "(none)" if v is None else v if isinstance(v, str) else json.dumps(v, sort_keys=True)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def attr_line(a: AttributeChange) -> str:
    return f"{a.attribute}: {value(a.old)} → {value(a.new)}"


def summary(report: DiffReport) -> str:
    if report.empty:
        return "no changes"
    counts = report.counts()
    parts = [f"{counts[c]} {c}" for c in CLASSES if counts[c]]
    res = [f"{counts[k]} {k}" for k in CHANGE_KINDS if counts[k]]
    if report.settings:
        res.append(f"{len(report.settings)} spec-wide setting{'s' if len(report.settings) != 1 else ''}")
    consequences = ", ".join(parts) if parts else "no classified consequences"
    return f"{consequences}; resources: {', '.join(res) if res else 'none'}"


def _details(change: ResourceChange) -> list[str]:
    lines = []
    if change.old_path:
        lines.append(f"was {change.old_path}")
    if change.old_name:
        lines.append(f"name: {change.old_name} → {change.name}")
    lines += [attr_line(a) for a in change.attributes]
    for rep in change.replacements:
        how = "may replace" if rep.conditional else "replaces"
        what = rep.logical_id or rep.resource_type
        lines.append(f"CloudFormation {how} {what}: {', '.join(rep.properties)}")
    return lines


def print_table(report: DiffReport, console: Console) -> None:
    console.print(f"[bold]archkit diff[/] {report.base} → {report.head} (environment {report.environment})")
    if report.empty:
        console.print("[green]✓[/] no changes")
        return
    if report.consequences:
        table = Table(title="Consequences", title_justify="left", show_edge=False, header_style="bold")
        for col in ("class", "effect", "resource", "what"):
            table.add_column(col, overflow="fold")
        for c in report.consequences:  # data cells are Text: spec values may hold [brackets]
            table.add_row(
                Text(c.cls, style=CLASS_STYLE[c.cls]),
                EFFECT_MARK[c.effect],
                Text(c.resource),
                Text(c.message),
            )
        console.print(table)
    if report.changes:
        table = Table(title="Resources", title_justify="left", show_edge=False, header_style="bold")
        for col in ("change", "spec path", "type", "name", "details"):
            table.add_column(col, overflow="fold")
        for ch in report.changes:
            table.add_row(
                CHANGE_MARK[ch.kind],
                Text(ch.path),
                ch.resource_type,
                Text(ch.name),
                Text("\n".join(_details(ch))),
            )
        console.print(table)
    if report.settings:
        console.print("[bold]Spec-wide settings[/]")
        for s in report.settings:
            console.print(f"  {attr_line(s)}", markup=False, soft_wrap=True)
    console.print(f"[bold]summary:[/] {summary(report)}")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _consequence_row(c: Consequence) -> str:
    return f"| {c.cls} | {EFFECT_MARK[c.effect]} | `{c.resource}` | {_cell(c.message)} |"


def markdown(report: DiffReport) -> str:
    """A pull-request comment: summary line, destructive changes first, details folded, diagram links."""
    out = [f"### archkit diff: `{report.base}` → `{report.head}` ({report.environment})", ""]
    if report.empty:
        return "\n".join([*out, "No changes.", ""])
    out += [f"**{summary(report)}**", ""]
    destructive = [c for c in report.consequences if c.cls == "destructive"]
    if destructive:
        out += ["> [!CAUTION]", "> **Destructive changes** — data would be lost:"]
        out += [f"> - `{c.resource}`: {c.message}" for c in destructive]
        out.append("")
    rest = [c for c in report.consequences if c.cls != "destructive"]
    if rest:
        out += ["| class | effect | resource | consequence |", "|---|---|---|---|"]
        out += [_consequence_row(c) for c in rest]
        out.append("")
    if report.changes:
        out += [f"<details><summary>Resources ({len(report.changes)})</summary>", ""]
        out += ["| change | spec path | type | name | details |", "|---|---|---|---|---|"]
        for ch in report.changes:
            details = "<br>".join(_cell(x) for x in _details(ch))
            out.append(
                f"| {CHANGE_MARK[ch.kind]} | `{ch.path}` | {ch.resource_type} | `{ch.name}` | {details} |"
            )
        out += ["", "</details>", ""]
    if report.settings:
        out += [f"<details><summary>Spec-wide settings ({len(report.settings)})</summary>", ""]
        out += [f"- `{s.attribute}`: {_cell(value(s.old))} → {_cell(value(s.new))}" for s in report.settings]
        out += ["", "</details>", ""]
    if report.diagrams:
        out += [
            "Diagrams of the change: " + ", ".join(f"[{d.rsplit('/', 1)[-1]}]({d})" for d in report.diagrams),
            "",
        ]
    return "\n".join(out)
