"""Report writers: a rich terminal table, JSON (the contract in docs/design.md), SARIF 2.1.0 and JUnit XML."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from archkit.verify.findings import Report

Format = Literal["table", "json", "sarif", "junit"]
FORMATS: tuple[str, ...] = ("table", "json", "sarif", "junit")


def render(report: Report, fmt: Format, spec_path: Path | None = None, *, width: int = 120) -> str:
    """The report as text in one format (deterministic for the same report)."""
    if fmt == "json":
        from archkit.verify.report.json_report import render_json

        return render_json(report)
    if fmt == "sarif":
        from archkit.verify.report.sarif import render_sarif

        return render_sarif(report, spec_path)
    if fmt == "junit":
        from archkit.verify.report.junit import render_junit

        return render_junit(report)
    from archkit.verify.report.table import render_table_text

    return render_table_text(report, width=width)
