"""`--format junit`: one test case per resource x check (drift, and each compliance rule that ran)."""

from __future__ import annotations

import json
from collections import defaultdict
from xml.etree import ElementTree as ET

from archkit.verify.findings import Finding, Report


def _text(findings: list[Finding]) -> str:
    return "\n".join(
        f"{f.attribute or f.change or f.rule_id}: {f.message}"
        + (
            f" (expected {json.dumps(f.expected, default=str)}, actual {json.dumps(f.actual, default=str)})"
            if f.kind == "drift" and f.change == "changed"
            else ""
        )
        for f in findings
    )


def render_junit(report: Report) -> str:
    cases: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for path, _ in report.checked:
        cases[(path, "drift")]
    for resource, rule_id in report.passed_checks:
        cases[(resource, rule_id)]
    for f in report.findings:
        check = (
            "drift" if f.kind == "drift" else f.rule_id or "compliance" if f.kind == "compliance" else "read"
        )
        cases[(f.resource, check)].append(f)

    suites: dict[str, list[tuple[str, list[Finding]]]] = defaultdict(list)
    for (resource, check), found in sorted(cases.items()):
        suites["drift" if check == "drift" else "read" if check == "read" else "compliance"].append(
            (f"{resource} :: {check}", found)
        )
    root = ET.Element("testsuites", name=f"archkit verify {report.project}/{report.environment}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for name in ("drift", "compliance", "read"):
        if name not in suites:
            continue
        suite = ET.SubElement(root, "testsuite", name=name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for case_name, found in suites[name]:
            case = ET.SubElement(suite, "testcase", classname=f"archkit.{name}", name=case_name)
            counts["tests"] += 1
            live = [f for f in found if not f.suppressed]
            if name == "read" or (found and not live):
                skipped = ET.SubElement(case, "skipped", message=found[0].message if found else "")
                skipped.text = _text(found)
                counts["skipped"] += 1
            elif live:
                failure = ET.SubElement(
                    case, "failure", message=live[0].message, type=max(f.severity for f in live)
                )
                failure.text = _text(live)
                counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
