"""`--format sarif`: SARIF 2.1.0 with stable rule ids, locations at the spec file and line, and
`security-severity` for code scanning."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from archkit import __version__
from archkit.verify.findings import SECURITY_SEVERITY, Finding, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}

DRIFT_RULES = {
    "ARCHKIT-DRIFT-MISSING": "A resource declared in the spec is missing from the account",
    "ARCHKIT-DRIFT-UNMANAGED": "A resource tagged for this system is not declared in the spec",
    "ARCHKIT-DRIFT-CHANGED": "A resource attribute differs from the spec",
    "ARCHKIT-NOT-CHECKED": "Part of the account could not be read",
}


def _line(locations: dict[str, int], resource: str, attribute: str | None) -> int:
    """Line of the most specific spec path known: resource.attribute, then the resource, then its parents."""
    candidates = []
    if attribute:
        candidates.append(f"{resource}.{attribute.split('[', 1)[0]}")
    parts = resource.split(".")
    candidates += [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    for c in candidates:
        if c in locations:
            return locations[c]
    return 1


def _uri(spec_path: Path | None, fallback: str) -> str:
    if spec_path is None:
        return fallback
    try:
        return Path(os.path.relpath(spec_path.resolve(), Path.cwd())).as_posix()
    except ValueError:
        return spec_path.as_posix()


def _rule(f: Finding) -> dict[str, Any]:
    text = f.title if f.kind == "compliance" and f.title else DRIFT_RULES.get(f.check_id, f.check_id)
    return {
        "id": f.check_id,
        "name": f.check_id.replace("-", ""),
        "shortDescription": {"text": text},
        "properties": {"tags": ["security", f.kind]},
    }


def render_sarif(report: Report, spec_path: Path | None) -> str:
    locations: dict[str, int] = {}
    if spec_path is not None and spec_path.exists():
        from archkit.spec import spec_locations

        locations = spec_locations(spec_path)
    uri = _uri(spec_path, report.spec)
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in report.findings:
        rule = rules.setdefault(f.check_id, _rule(f))
        severity = SECURITY_SEVERITY[f.severity]
        current = rule["properties"].get("security-severity")
        if current is None or float(severity) > float(current):
            rule["properties"]["security-severity"] = severity
        fingerprint = hashlib.sha256(
            json.dumps([f.check_id, f.resource, f.attribute], default=str).encode()
        ).hexdigest()[:32]
        result: dict[str, Any] = {
            "ruleId": f.check_id,
            "level": LEVEL[f.severity],
            "message": {"text": f"{f.resource}: {f.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": _line(locations, f.resource, f.attribute)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.resource, "kind": "resource"}],
                }
            ],
            "partialFingerprints": {"archkitFinding/v1": fingerprint},
            "properties": {
                "security-severity": severity,
                "kind": f.kind,
                "resourceType": f.resource_type,
                "physicalId": f.physical_id,
                "attribute": f.attribute,
                "expected": f.expected,
                "actual": f.actual,
            },
        }
        if f.suppressed:
            result["suppressions"] = [{"kind": "inSource", "justification": f.suppression or ""}]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archkit",
                        "version": __version__,
                        "informationUri": "https://github.com/archkit/archkit",
                        "rules": [rules[k] for k in sorted(rules)],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
