"""Run by the checkov venv's Python (not archkit's): print checkov's CloudFormation checks as JSON,
{check id: sorted resource types it inspects}, from its resource registry and its graph checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import checkov
from checkov.cloudformation.checks.resource.registry import cfn_registry


def _types(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == "resource_types":
                found |= set(value if isinstance(value, list) else [value])
            else:
                found |= _types(value)
        return found
    if isinstance(node, list):
        return set().union(*(_types(v) for v in node)) if node else set()
    return set()


checks: dict[str, set[str]] = {}
for registry in (cfn_registry.checks, cfn_registry.wildcard_checks):
    for resource_type, found in registry.items():
        for check in found:
            checks.setdefault(check.id, set()).add(resource_type)
for path in (Path(checkov.__file__).parent / "cloudformation" / "checks" / "graph_checks").glob("*.json"):
    graph = json.loads(path.read_text())
    checks.setdefault(graph["metadata"]["id"], set()).update(_types(graph["definition"]))
print(json.dumps({k: sorted(v) for k, v in sorted(checks.items())}, indent=1))
