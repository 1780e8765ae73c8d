"""The diagram of a change: HEAD's views with added, changed and removed (from BASE, dashed) nodes and
edges marked, and a legend. Uses the diagram package's neutral views, its overlay matching (a spec path
colours the node whose ``ref`` is its longest prefix) and its renderers; colour always comes with a badge
(``added`` / ``removed`` / ``changed`` in the node, ``+`` / ``-`` on edge labels) and removed is dashed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archkit.diagram import View, build_views
from archkit.diagram.model import CHANGE_STATUSES, Edge, Status

# Not `from archkit.diagram import render`: once the `archkit.diagram.render` subpackage is imported, that
# package attribute is the subpackage, not the function.
from archkit.diagram.output import render
from archkit.diagram.overlay import Finding, matched_refs
from archkit.diff.model import DiffReport
from archkit.spec import ArchSpec

LEGEND_TITLE = "Change (archkit diff)"
FORMATS = ("svg", "mmd")
EDGE_BADGE = {"added": "+ ", "removed": "- "}


def _refs_of(view: View, path: str, attribute: str | None = None) -> set[str]:
    return matched_refs(view, Finding(kind="drift", resource=path, change="changed", attribute=attribute))


def _edge_key(edge: Edge) -> tuple[str, str, str, str]:
    return edge.source, edge.target, edge.label, edge.kind


def change_view(base: View | None, head: View, report: DiffReport) -> View | None:
    """HEAD's view with the change marked, or None when nothing in it changed."""
    status: dict[str, Status] = {}
    for change in report.changes:
        kind: Status = "added" if change.kind == "added" else "changed"
        if change.kind == "removed":
            continue
        for ref in _refs_of(head, change.path):
            status[ref] = kind
        for attr in change.attributes:
            for ref in _refs_of(head, change.path, attr.attribute):
                status.setdefault(ref, "changed")
    base_ids = {n.id for n in base.nodes} if base else set()
    for node in head.nodes:  # drawn on HEAD only (a new route, a new index): added
        if node.ref and base is not None and node.id not in base_ids:
            status[node.ref] = "added"
    nodes = [replace(n, status=status.get(n.ref or "")) if n.ref in status else n for n in head.nodes]
    head_ids = {n.id for n in head.nodes}
    group_ids = {g.id for g in head.groups}
    if base is not None:
        for node in base.nodes:
            if node.id not in head_ids and node.ref:
                group = node.group if node.group in group_ids else None
                nodes.append(replace(node, group=group, status="removed"))
    known = {n.id for n in nodes} | group_ids
    edges = list(head.edges)
    if base is not None:
        base_edges = {_edge_key(e) for e in base.edges}
        head_edges = {_edge_key(e) for e in head.edges}
        edges = [
            replace(e, label=EDGE_BADGE["added"] + e.label)
            if _edge_key(e) not in base_edges and e.kind != "layout"
            else e
            for e in head.edges
        ]
        edges += [
            replace(e, label=EDGE_BADGE["removed"] + e.label, dashed=True)
            for e in base.edges
            if _edge_key(e) not in head_edges and e.kind != "layout" and {e.source, e.target} <= known
        ]
    marked = [n for n in nodes if n.status in CHANGE_STATUSES]
    if not marked and len(edges) == len(head.edges) and edges == list(head.edges):
        return None
    legend = tuple((s, sum(1 for n in marked if n.status == s)) for s in CHANGE_STATUSES)
    return replace(head, nodes=tuple(nodes), edges=tuple(edges), legend=legend, legend_title=LEGEND_TITLE)


def change_views(base: ArchSpec, head: ArchSpec, report: DiffReport) -> dict[str, View]:
    """The affected views of HEAD, by view name."""
    base_views, head_views = build_views(base), build_views(head)
    out = {}
    for name, view in head_views.items():
        marked = change_view(base_views.get(name), view, report)
        if marked is not None:
            out[name] = marked
    return out


def write_change_diagrams(base: ArchSpec, head: ArchSpec, report: DiffReport, out_dir: Path) -> list[str]:
    """Render the affected views into ``out_dir`` (svg and Mermaid); the written paths."""
    written = []
    for name, view in change_views(base, head, report).items():
        for fmt in FORMATS:
            written.append(str(render(view, fmt, out_dir / f"{name}.{fmt}")))
    return written
