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
from archkit.diagram.model import STATUS_LABELS, STATUSES, FindingRow, Status, View
from archkit.diagram.style import STATUS_STYLES
from archkit.wording import count

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
    suppressed: bool = False
    """A compliance failure the spec accepts (a suppression): drawn as suppressed, not as failed."""

    @property
    def status(self) -> Status | None:
        """Overlay state of the finding; None for an unmanaged resource (it has no node)."""
        if self.suppressed:
            return "suppressed"
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
                suppressed=raw.get("suppressed") is True,
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
    """Spec paths of the nodes/groups in ``view`` a finding marks (empty if it concerns nothing drawn).

    The most specific drawn path wins: a finding on a method marks the method's node, not the API's;
    the owner is marked only when the part the finding names is not drawn in this view.
    """
    target = _target(view, finding)
    return {target[0]} if target else set()


def _target(view: View, finding: Finding) -> tuple[str, str] | None:
    """(drawn spec path marked, what the mark names) for a finding, or None when nothing drawn matches."""
    if not finding.resource:
        return None
    refs = view.refs()
    owner = _owner(refs, finding.resource)
    if owner is None:
        return None
    what = finding.rule_id or finding.attribute or STATUS_LABELS[finding.status or "clean"]
    if finding.attribute:
        detail = _owner(refs, _attribute_path(finding.resource, finding.attribute))
        if detail and detail != owner:
            return detail, finding.rule_id or _leaf(detail, finding.attribute)
    if owner != finding.resource:
        # A part of the owner that this view does not draw: the owner says which part.
        child = finding.resource[len(owner) + 1 :]
        return owner, f"{child}: {what}"
    if finding.attribute and not finding.rule_id:
        return owner, f"{finding.attribute}: {finding.change}"
    return owner, what


def _leaf(detail: str, attribute: str) -> str:
    """What a mark on a drawn child says: the attribute below that child, if any."""
    return attribute.rsplit(".", 1)[-1] if "." in attribute else attribute


def apply_overlay(view: View, overlay: Overlay) -> View:
    """A copy of ``view`` with every spec node given the worst state of the findings that mark it.

    Nodes without findings are ``clean`` (drawn unframed); disabled optional elements stay unmarked unless
    a finding names them. Each marked node lists what was found (rule ids, the child concerned); the view
    gets a findings table and a legend counting nodes per state.
    """
    by_ref: dict[str, Status] = {}
    marks: dict[str, list[str]] = {}
    rows: list[tuple[str, Status, str, str]] = []
    for finding in overlay.findings:
        status = finding.status
        if status is None:
            continue
        target = _target(view, finding)
        if target is None:
            continue
        ref, what = target
        by_ref[ref] = _worse(by_ref.get(ref), status)
        label = f"{STATUS_STYLES[status].badge} {what}"
        marks.setdefault(ref, [])
        # The state's own name is already the node's badge line.
        if label not in marks[ref] and what != STATUS_LABELS[status]:
            marks[ref].append(label)
        rows.append((ref, status, what, finding.message))
    nodes: dict[str, Status] = {}
    node_marks: dict[str, tuple[str, ...]] = {}
    for n in view.nodes:
        if n.ref and (n.ref in by_ref or not n.off):
            nodes[n.id] = by_ref.get(n.ref, "clean")
            node_marks[n.id] = tuple(marks.get(n.ref, ()))
    groups: dict[str, Status] = {g.id: by_ref.get(g.ref, "clean") for g in view.groups if g.ref}
    coloured = view.with_status(nodes, groups, node_marks)
    counts = {s: 0 for s in STATUSES}
    for status in nodes.values():
        counts[status] += 1
    unmanaged = sum(1 for f in overlay.findings if f.kind == "drift" and f.change == "unmanaged")
    notes = (
        (
            f"{count(unmanaged, 'unmanaged resource')} found in the account "
            f"{'is' if unmanaged == 1 else 'are'} not in the spec and not drawn.",
        )
        if unmanaged
        else ()
    )
    labels: dict[str, str] = {}
    for n in view.nodes:
        if n.ref:
            labels.setdefault(n.ref, n.label)
    for g in view.groups:
        if g.ref:
            labels.setdefault(g.ref, g.label)
    table = tuple(
        FindingRow(labels.get(ref, ref), status, what, message)
        for ref, status, what, message in sorted(rows, key=lambda r: (STATUSES.index(r[1]), r[0]))
    )
    return replace(
        coloured,
        legend=tuple((s, c) for s, c in counts.items() if c or s != "suppressed"),
        notes=notes,
        findings=table,
    )


def unmatched(views: dict[str, View], overlay: Overlay) -> list[Finding]:
    """Findings (other than unmanaged resources) that colour no node in any of the views."""
    return [
        f
        for f in overlay.findings
        if f.status is not None and not any(matched_refs(v, f) for v in views.values())
    ]
