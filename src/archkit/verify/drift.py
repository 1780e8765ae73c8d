"""Drift: desired ⇄ observed states -> findings of a fixed set of kinds.

- `missing`: declared in the spec, not found in the account;
- `unmanaged`: carries this system's Project/Environment tags but is not declared;
- `changed`: one attribute path differs (expected, actual).

Anything that could not be read becomes `not_checked` with its reason, never a silent pass. The spec's
`drift.ignore` rules (resource and attribute patterns with `*`) drop matching drift findings.
Pure: imports no boto3.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Any, cast

from archkit.spec import ArchSpec
from archkit.verify.findings import Finding, Severity
from archkit.verify.state import ResourceState


def component(parent: str, key: str) -> str:
    """Path of a map entry or field: `methods[GET /x]` for keys with dots, spaces or slashes, else `a.b`."""
    if any(ch in key for ch in ". /"):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def diff_values(expected: Any, actual: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(attribute path, expected, actual) for every differing leaf; dicts recurse, lists compare whole."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(expected) | set(actual), key=str):
            sub = component(path, str(key))
            if key not in actual:
                out.append((sub, expected[key], None))
            elif key not in expected:
                out.append((sub, None, actual[key]))
            else:
                out.extend(diff_values(expected[key], actual[key], sub))
        return out
    if _canonical(expected) != _canonical(actual):
        return [(path, expected, actual)]
    return []


def _canonical(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True, default=str)


def severity_of(attribute: str, resource_type: str) -> Severity:
    """`high` for an attribute its kind marks security-relevant, `low` for tags, else `medium`."""
    from archkit.verify.kinds import severity_of as kind_severity

    return cast(Severity, kind_severity(resource_type, attribute))


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _unreadable_prefix(attribute: str, unreadable: dict[str, str]) -> bool:
    return any(attribute == a or attribute.startswith((a + ".", a + "[")) for a in unreadable)


def ignored(spec: ArchSpec, resource: str, attribute: str | None) -> bool:
    for rule in spec.drift.ignore:
        if not fnmatchcase(resource, rule.resource):
            continue
        if rule.attribute == "*" or (attribute is not None and fnmatchcase(attribute, rule.attribute)):
            return True
    return False


def compare(want: ResourceState, have: ResourceState) -> list[Finding]:
    """`changed` (and attribute-level `not_checked`) findings of one resource."""
    findings: list[Finding] = []
    for attribute, reason in sorted(have.unreadable.items()):
        findings.append(
            Finding(
                kind="not_checked",
                resource=want.path,
                resource_type=want.resource_type,
                physical_id=have.physical_id,
                attribute=attribute,
                severity="info",
                message=f"{attribute} could not be read: {reason}",
                reason=reason.split(":", 1)[0],
            )
        )
    for attribute, expected, actual in diff_values(want.attributes(), have.attributes()):
        if _unreadable_prefix(attribute, have.unreadable):
            # An unreadable map entry (`egress[rule]`) hides its value, not whether it exists; an unreadable
            # field inside an entry (`methods[GET /x].vpc_link`) hides the field.
            entry_only = all(a.endswith("]") for a in have.unreadable if attribute.startswith(a))
            if not entry_only or (expected is not None and actual is not None):
                continue
        findings.append(
            Finding(
                kind="drift",
                change="changed",
                resource=want.path,
                resource_type=want.resource_type,
                physical_id=have.physical_id,
                attribute=attribute,
                expected=expected,
                actual=actual,
                severity=severity_of(attribute, want.resource_type),
                message=f"{attribute}: expected {_short(expected)}, found {_short(actual)}",
            )
        )
    return findings


def missing(want: ResourceState) -> Finding:
    return Finding(
        kind="drift",
        change="missing",
        resource=want.path,
        resource_type=want.resource_type,
        physical_id=want.physical_id,
        expected=want.physical_id,
        severity="high",
        message=f"{want.resource_type} '{want.physical_id}' is in the spec but not found in the account",
    )


def unmanaged(spec: ArchSpec, resource_type: str, physical_id: str, tags: dict[str, str]) -> Finding:
    claimed = tags.get("archkit:id")
    return Finding(
        kind="drift",
        change="unmanaged",
        resource=claimed or physical_id,
        resource_type=resource_type,
        physical_id=physical_id,
        actual=physical_id,
        severity="medium",
        message=(
            f"{resource_type} '{physical_id}' carries Project={spec.project} Environment={spec.environment} "
            "but is not declared in the spec"
        ),
    )


def not_checked(
    resource: str,
    resource_type: str,
    physical_id: str | None,
    reason: str,
    message: str,
    attribute: str | None = None,
) -> Finding:
    return Finding(
        kind="not_checked",
        resource=resource,
        resource_type=resource_type,
        physical_id=physical_id,
        attribute=attribute,
        severity="info",
        message=message,
        reason=reason,
    )


def drift(
    spec: ArchSpec,
    desired: Sequence[ResourceState],
    observed: Sequence[ResourceState],
    unchecked: dict[str, tuple[str, str]],
) -> list[Finding]:
    """Drift findings of desired vs observed; ``unchecked`` maps spec paths that could not be read to
    (reason, message) and yields `not_checked` instead of `missing`."""
    have = {s.path: s for s in observed}
    findings: list[Finding] = []
    for want in desired:
        if want.path in unchecked:
            reason, message = unchecked[want.path]
            findings.append(not_checked(want.path, want.resource_type, want.physical_id, reason, message))
            continue
        found = have.get(want.path)
        if found is None:
            findings.append(missing(want))
        else:
            findings.extend(compare(want, found))
    return [f for f in findings if f.kind == "not_checked" or not ignored(spec, f.resource, f.attribute)]
