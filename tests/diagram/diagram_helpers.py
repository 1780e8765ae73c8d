"""Small helpers shared by the diagram tests."""

from __future__ import annotations


def edges_of(view) -> set[tuple[str, str, str]]:
    """(source, target, label) of every edge of a view."""
    return {(e.source, e.target, e.label) for e in view.edges}


def ancestry(view, item_id: str) -> list[str]:
    """Group ids enclosing a node or group, innermost first."""
    ids = {n.id: n.group for n in view.nodes} | {g.id: g.parent for g in view.groups}
    chain = []
    parent = ids[item_id]
    while parent is not None:
        chain.append(parent)
        parent = ids[parent]
    return chain
