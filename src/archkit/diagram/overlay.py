"""Drift overlay: colour each node of a view by what ``archkit verify`` found for it.

Reads the verify JSON contract (docs/design.md): one object with ``summary`` and ``findings``; a finding has
``kind`` (drift | compliance | not_checked), ``change`` (missing | unmanaged | changed) or ``rule_id``,
``resource`` (spec path), ``attribute`` and more. A finding colours the node(s) whose spec path (``ref``)
is the longest prefix of its resource (``tables.main.indexes.by_status`` colours ``tables.main`` where the
index is not drawn), and also a node drawn for the attribute itself (``tables.main.point_in_time_recovery``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from archkit.diagram.errors import DiagramError
from archkit.diagram.model import STATUSES, Status, View

KINDS = ("drift", "compliance", "not_checked")
CHANGES = ("missing", "unmanaged", "changed")


@dataclass(frozen=True)
class Finding:
    """The part of a verify finding the overlay uses."""

    kind: str
    resource: str
    change: str | None = None
    rule_id: str | None = None
    attribute: str | None = None
    severity: str | None = None
    message: str = ""

    @property
    def status(self) -> Status | None:
        """Overlay state of the finding; None for an unmanaged resource (it has no node)."""
        if self.kind == "compliance":
            return "non_compliant"
        if self.kind == "not_checked":
            return "not_checked"
        if self.change == "missing":
            return "missing"
        if self.change == "changed":
            return "changed"
        return None


@dataclass(frozen=True)
class Overlay:
    findings: tuple[Finding, ...]
    summary: dict[str, Any]
    source: str = "<overlay>"


def parse_overlay(doc: Any, source: str = "<overlay>") -> Overlay:
    """Validate a decoded verify report; a :class:`DiagramError` names the first bad field."""
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise DiagramError(f"{source}: expected a verify JSON report: an object with a 'findings' list")
    summary = doc.get("summary", {})
    if not isinstance(summary, dict):
        raise DiagramError(f"{source}: 'summary' must be an object")
    findings = []
    for i, raw in enumerate(doc["findings"]):
        where = f"{source}: findings[{i}]"
        if not isinstance(raw, dict):
            raise DiagramError(f"{where}: expected an object")
        kind = raw.get("kind")
        if kind not in KINDS:
            raise DiagramError(f"{where}: 'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
        change = raw.get("change")
        if kind == "drift" and change not in CHANGES:
            raise DiagramError(
                f"{where}: a drift finding needs 'change' in {', '.join(CHANGES)} (got {change!r})"
            )
        resource = raw.get("resource")
        if resource is None and change == "unmanaged":
            resource = ""
        if not isinstance(resource, str):
            raise DiagramError(f"{where}: 'resource' must be the spec path of a resource (got {resource!r})")
        attribute = raw.get("attribute")
        findings.append(
            Finding(
                kind=kind,
                resource=resource,
                change=change,
                rule_id=raw.get("rule_id"),
                attribute=attribute if isinstance(attribute, str) and attribute else None,
                severity=raw.get("severity"),
                message=str(raw.get("message") or ""),
            )
        )
    return Overlay(tuple(findings), summary, source)


def load_overlay(path: str | os.PathLike[str]) -> Overlay:
    """Read a ``archkit verify --format json`` report."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DiagramError(f"cannot read overlay {p}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiagramError(f"{p}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None
    return parse_overlay(doc, str(p))


def _owner(refs: set[str], path: str) -> str | None:
    """The longest drawn spec path equal to ``path`` or a dotted prefix of it."""
    best = None
    for ref in refs:
        if (path == ref or path.startswith(ref + ".")) and (best is None or len(ref) > len(best)):
            best = ref
    return best


def _worse(a: Status | None, b: Status) -> Status:
    return b if a is None or STATUSES.index(b) < STATUSES.index(a) else a


def _attribute_path(resource: str, attribute: str) -> str:
    """Spec path of a finding's attribute; verify names API methods ``methods.GET /api/users.…``."""
    if resource == "api" and attribute.startswith("methods."):
        verb, _, rest = attribute[len("methods.") :].partition(" ")
        path, _, _tail = rest.partition(".")
        return f"api.routes.{path}.{verb}"
    return f"{resource}.{attribute}"


def matched_refs(view: View, finding: Finding) -> set[str]:
    """Spec paths of the nodes/groups in ``view`` a finding colours (empty if it concerns nothing drawn)."""
    refs = view.refs()
    hit = set()
    owner = _owner(refs, finding.resource) if finding.resource else None
    if owner:
        hit.add(owner)
        if finding.attribute:
            detail = _owner(refs, _attribute_path(finding.resource, finding.attribute))
            if detail:
                hit.add(detail)
    return hit


def apply_overlay(view: View, overlay: Overlay) -> View:
    """A copy of ``view`` with every spec node coloured: the worst state of its findings, else clean.

    Disabled optional elements stay uncoloured unless a finding names them; the legend counts nodes per state.
    """
    by_ref: dict[str, Status] = {}
    for finding in overlay.findings:
        status = finding.status
        if status is None:
            continue
        for ref in matched_refs(view, finding):
            by_ref[ref] = _worse(by_ref.get(ref), status)
    nodes: dict[str, Status] = {}
    for n in view.nodes:
        if n.ref and (n.ref in by_ref or not n.off):
            nodes[n.id] = by_ref.get(n.ref, "clean")
    groups: dict[str, Status] = {g.id: by_ref.get(g.ref, "clean") for g in view.groups if g.ref}
    coloured = view.with_status(nodes, groups)
    counts = {s: 0 for s in STATUSES}
    for status in nodes.values():
        counts[status] += 1
    unmanaged = sum(1 for f in overlay.findings if f.kind == "drift" and f.change == "unmanaged")
    notes = (
        (f"{unmanaged} unmanaged resource(s) found in the account are not in the spec and not drawn.",)
        if unmanaged
        else ()
    )
    return replace(coloured, legend=tuple(counts.items()), notes=notes)


def unmatched(views: dict[str, View], overlay: Overlay) -> list[Finding]:
    """Findings (other than unmanaged resources) that colour no node in any of the views."""
    return [
        f
        for f in overlay.findings
        if f.status is not None and not any(matched_refs(v, f) for v in views.values())
    ]
