"""`--format table`: findings grouped by resource, `+` missing (in spec, not in account), `-` unmanaged
(in account, not in spec), `~` changed, `!` compliance, `?` not checked."""

from __future__ import annotations

import io
import json
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from archkit.verify.findings import Finding, Report
from archkit.wording import count

SIGN = {"missing": ("+", "green"), "unmanaged": ("-", "red"), "changed": ("~", "yellow")}
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _value(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _line(f: Finding) -> Text:
    if f.kind == "drift":
        sign, style = SIGN[f.change or "changed"]
        if f.change == "changed":
            body = f"{f.attribute}: {_value(f.expected)} -> {_value(f.actual)}"
        elif f.change == "missing":
            body = "declared in the spec, not found in the account"
        else:
            body = "in the account with this system's tags, not declared in the spec"
    elif f.kind == "compliance":
        sign, style = "!", "magenta"
        body = f"{f.rule_id} {f.message}" + (f" (suppressed: {f.suppression})" if f.suppressed else "")
    else:
        sign, style = "?", "dim"
        body = f"not checked ({f.reason}): {f.message}"
    line = Text()
    line.append(f"{sign} ", style=style)
    line.append(body)
    return line


def build_table(report: Report) -> Table:
    """One row per finding; the resource (spec path, type, physical id) heads its group."""
    table = Table(
        title=f"archkit verify: {report.project}/{report.environment} ({report.mode})", expand=False
    )
    table.add_column("resource", no_wrap=True)
    table.add_column("finding")
    table.add_column("severity", no_wrap=True)
    for resource, group in groupby(report.findings, key=lambda f: f.resource):
        items = list(group)
        head = Text(resource, style="bold")
        head.append(f"\n{items[0].resource_type}", style="dim")
        if items[0].physical_id:
            head.append(f"\n{items[0].physical_id}", style="dim")
        for i, f in enumerate(items):
            table.add_row(
                head if i == 0 else "", _line(f), Text(f.severity, style=SEVERITY_STYLE[f.severity])
            )
        table.add_section()
    return table


def summary_line(report: Report) -> str:
    s = report.summary
    return (
        f"{count(s.resources_checked, 'resource')} checked: {s.drift} drift, "
        f"{count(s.compliance_failures, 'compliance failure')}, {s.not_checked} not checked"
    )


def print_table(report: Report, console: Console) -> None:
    if report.findings:
        console.print(build_table(report))
    console.print(summary_line(report))


def render_table_text(report: Report, width: int = 120) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False, highlight=False)
    print_table(report, console)
    return buf.getvalue()
