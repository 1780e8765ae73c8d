"""The report of `archkit verify --all-targets`: every target's findings in one document, each finding
carrying its deployment (environment, account, region), and each target's exit code.

- json: ``{"spec", "project", "fail_on", "exit_code", "summary", "targets": [...], "findings": [...]}``; a
  finding is the one-account finding object plus ``deployment``.
- sarif: one run per target (``automationDetails.id`` = ``environment/account/region/``).
- table: one line per target, then each target's findings table.
- asff: `archkit.verify.report.asff`.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from archkit.verify.org import OrgRun

COMBINED_FORMATS: tuple[str, ...] = ("table", "json", "sarif", "asff")


def combined_dict(org: OrgRun) -> dict[str, Any]:
    from archkit.verify.report.json_report import report_dict

    targets, findings = [], []
    totals = {
        "targets": len(org.runs),
        "resources_checked": 0,
        "drift": 0,
        "compliance_failures": 0,
        "not_checked": 0,
    }
    for run in org.runs:
        one = report_dict(run.report)
        summary = one["summary"]
        assert isinstance(summary, dict)
        for key in summary:
            totals[key] += summary[key]
        entry: dict[str, Any] = {**run.target.deployment(), "exit_code": run.exit_code, "summary": summary}
        if run.error:
            entry["error"] = run.error
        targets.append(entry)
        findings += [{**f, "deployment": run.target.deployment()} for f in one["findings"]]  # type: ignore[attr-defined]
    return {
        "spec": org.spec,
        "project": org.project,
        "fail_on": org.fail_on,
        "exit_code": org.exit_code,
        "summary": totals,
        "targets": targets,
        "findings": findings,
    }


def render_combined_json(org: OrgRun) -> str:
    return json.dumps(combined_dict(org), indent=2, ensure_ascii=False, default=str) + "\n"


def render_combined_sarif(org: OrgRun, spec_path: Path | None) -> str:
    from archkit.verify.report.sarif import render_sarif

    runs = []
    for run in org.runs:
        doc = json.loads(render_sarif(run.report, spec_path))
        for sarif_run in doc["runs"]:
            sarif_run["automationDetails"] = {"id": f"{run.target.key}/"}
            for result in sarif_run["results"]:
                result["properties"]["deployment"] = run.target.deployment()
            runs.append(sarif_run)
        schema, version = doc["$schema"], doc["version"]
    return (
        json.dumps({"$schema": schema, "version": version, "runs": runs}, indent=2, ensure_ascii=False) + "\n"
    )


def targets_table(org: OrgRun) -> Table:
    from archkit.verify.report.table import summary_line

    table = Table(title=f"archkit verify --all-targets: {org.project}", expand=False)
    for column in ("environment", "account", "region", "exit", "result"):
        table.add_column(column, no_wrap=column != "result")
    for run in org.runs:
        t = run.target
        result = run.error if run.error else summary_line(run.report)
        table.add_row(t.environment, t.account, t.region, str(run.exit_code), result)
    return table


def print_combined_table(org: OrgRun, console: Console) -> None:
    from archkit.verify.report.table import build_table

    for run in org.runs:
        if run.report.findings and not run.error:
            table = build_table(run.report)
            table.title = f"{run.target.key}: {org.project}/{run.target.environment}"
            console.print(table)
    console.print(targets_table(org))


def render_combined(org: OrgRun, fmt: str, spec_path: Path | None, *, width: int = 120) -> str:
    if fmt == "json":
        return render_combined_json(org)
    if fmt == "sarif":
        return render_combined_sarif(org, spec_path)
    if fmt == "asff":
        from archkit.verify.report.asff import render_asff

        return render_asff([(run.target.deployment(), run.report) for run in org.runs])
    buf = io.StringIO()
    print_combined_table(org, Console(file=buf, width=width, color_system=None, force_terminal=False))
    return buf.getvalue()
