"""`--format json`: one JSON object with `summary` and `findings` (the contract in docs/design.md)."""

from __future__ import annotations

import json

from archkit.verify.findings import Report


def report_dict(report: Report) -> dict[str, object]:
    findings = []
    for f in report.findings:
        item = f.model_dump(mode="json")
        for optional in ("reason", "title", "suppression"):
            if item.get(optional) is None:
                item.pop(optional, None)
        if not item.get("suppressed"):
            item.pop("suppressed", None)
        findings.append(item)
    return {
        "spec": report.spec,
        "project": report.project,
        "environment": report.environment,
        "region": report.region,
        "mode": report.mode,
        "summary": report.summary.model_dump(mode="json"),
        "findings": findings,
    }


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False, default=str) + "\n"
