"""The neutral view layer: a view is a graph of nodes, nested groups and labelled edges built from a spec.

Builders (``archkit.diagram.views``) read the spec and produce a :class:`View`; renderers
(graphviz, text, Mermaid) draw a view and never look at the spec. Ids are spec paths
(``tables.main``, ``api.routes./api/users.GET``) so output is deterministic and a verify finding
can be matched to the node it concerns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

Direction = Literal["TB", "LR"]
Status = Literal[
    "missing", "changed", "non_compliant", "not_checked", "suppressed", "clean", "added", "removed"
]

STATUSES: tuple[Status, ...] = ("missing", "changed", "non_compliant", "not_checked", "suppressed", "clean")
"""Overlay states, worst first: a node shows the worst state of the findings matched to it."""

CHANGE_STATUSES: tuple[Status, ...] = ("added", "removed", "changed")
"""States of the change overlay drawn by ``archkit diff --diagram`` (removed nodes come from BASE)."""

STATUS_LABELS: dict[str, str] = {
    "missing": "missing",
    "changed": "changed",
    "non_compliant": "non-compliant",
    "not_checked": "not checked",
    "suppressed": "suppressed",
    "clean": "clean",
    "added": "added",
    "removed": "removed",
}

OFF_SUFFIX = "(optional, off)"
"""Label suffix of optional elements (ALB, bastion, RDS, VPC link) that the spec leaves disabled."""


@dataclass(frozen=True)
class Node:
    """A box in a view: a resource, a part of one (index, route, prefix) or a measure/feature bullet."""

    id: str
    """Unique in the view; the spec path when the node stands for one."""
    label: str
    """Title (first line)."""
    kind: str
    """Icon key (see ``archkit.diagram.render.icons``) or a plain style: ``feature``, ``note``, ``route``."""
    group: str | None = None
    """Id of the enclosing group, or None at the top level."""
    details: tuple[str, ...] = ()
    """Further lines (keys, sizes, bullets)."""
    ref: str | None = None
    """Spec path the node stands for (overlay matching, coverage); None for context boxes (the internet)."""
    off: bool = False
    """An optional element the spec leaves disabled; drawn dashed and grey."""
    status: Status | None = None
    """Drift overlay state, set by :func:`archkit.diagram.overlay.apply_overlay`."""
    marks: tuple[str, ...] = ()
    """Overlay lines naming what was found (``ARCH-S3-003``, ``indexes.by_status: ARCH-DDB-004``)."""


@dataclass(frozen=True)
class FindingRow:
    """One line of the findings table drawn under an overlaid view."""

    node: str
    """Label of the node the finding marks."""
    status: Status
    what: str
    """Rule id or changed attribute (with the child it concerns)."""
    message: str


@dataclass(frozen=True)
class Group:
    """A nested frame (VPC, availability zone, subnet, a function, a security layer)."""

    id: str
    label: str
    parent: str | None = None
    kind: str = "group"
    ref: str | None = None
    status: Status | None = None
    aligned: bool = False
    """Layout hint: draw the group's nodes side by side on one rank (a column in a left-to-right view)."""


@dataclass(frozen=True)
class Edge:
    """A directed, labelled connection; source and target are node or group ids."""

    source: str
    target: str
    label: str = ""
    kind: str = "flow"
    """Meaning: ``invokes``, ``reads``, ``writes``, ``reads/writes``, ``stream``, ``origin``, ``flow``,
    ``applies``,
    ``tree`` (parent to child), or ``layout``: an invisible ordering hint only the graphviz renderer uses."""
    dashed: bool = False
    constraint: bool = True
    """Whether the edge ranks its target after its source in a layered layout (graphviz ``constraint``)."""
    upward: bool = False
    """Layout hint: the target is drawn above the source (ranked so; the arrow still ends at the target)."""


@dataclass(frozen=True)
class View:
    """One diagram: what every renderer draws."""

    name: str
    title: str
    direction: Direction
    nodes: tuple[Node, ...]
    groups: tuple[Group, ...]
    edges: tuple[Edge, ...]
    legend: tuple[tuple[Status, int], ...] = ()
    """Overlay legend: (state, number of nodes in it); empty without an overlay."""
    notes: tuple[str, ...] = ()
    """Footer lines (e.g. overlay findings that matched no node)."""
    findings: tuple[FindingRow, ...] = ()
    """Overlay findings table (drawn under the diagram); empty without an overlay."""
    caption: str = ""
    """One sentence saying what the diagram shows (docs caption, text header)."""
    rows: tuple[tuple[str, ...], ...] = ()
    """Layout hint: nodes drawn side by side on one rank in this order (an AZ-ordered row across subnets)."""
    legend_title: str = "Drift overlay"
    """Legend heading: the drift overlay, or the change overlay of `archkit diff --diagram`."""

    @cached_property
    def _index(
        self,
    ) -> tuple[dict[str, Node], dict[str, Group], dict[str | None, tuple[list[Group], list[Node]]]]:
        # Built once per view: renderers ask for children of every group.
        children: dict[str | None, tuple[list[Group], list[Node]]] = {}
        for g in self.groups:
            children.setdefault(g.parent, ([], []))[0].append(g)
        for n in self.nodes:
            children.setdefault(n.group, ([], []))[1].append(n)
        return {n.id: n for n in self.nodes}, {g.id: g for g in self.groups}, children

    def node(self, node_id: str) -> Node:
        return self._index[0][node_id]

    def group(self, group_id: str) -> Group:
        return self._index[1][group_id]

    def children(self, group_id: str | None) -> tuple[list[Group], list[Node]]:
        """Direct child groups and nodes of a group (None: the top level), in declaration order."""
        groups, nodes = self._index[2].get(group_id, ([], []))
        return list(groups), list(nodes)

    def refs(self) -> set[str]:
        """Every spec path drawn in this view (nodes and groups)."""
        return {n.ref for n in self.nodes if n.ref} | {g.ref for g in self.groups if g.ref}

    def first_node_in(self, group_id: str) -> Node | None:
        """The first node inside a group or its descendants (the anchor of edges to a group)."""
        groups, nodes = self.children(group_id)
        if nodes:
            return nodes[0]
        for g in groups:
            found = self.first_node_in(g.id)
            if found is not None:
                return found
        return None

    def with_status(
        self,
        nodes: dict[str, Status],
        groups: dict[str, Status],
        marks: dict[str, tuple[str, ...]] | None = None,
    ) -> View:
        marks = marks or {}
        return replace(
            self,
            nodes=tuple(replace(n, status=nodes.get(n.id), marks=marks.get(n.id, ())) for n in self.nodes),
            groups=tuple(replace(g, status=groups.get(g.id)) for g in self.groups),
        )


SAME_AS_ID = "\0same-as-id"
"""Default ``ref`` of :meth:`ViewBuilder.node` / :meth:`ViewBuilder.group`: the spec path is the id itself."""


@dataclass
class ViewBuilder:
    """Collects nodes, groups and edges in declaration order and checks them when the view is built."""

    name: str
    title: str
    direction: Direction = "LR"
    caption: str = ""
    _rows: list[tuple[str, ...]] = field(default_factory=list)
    _nodes: dict[str, Node] = field(default_factory=dict)
    _groups: dict[str, Group] = field(default_factory=dict)
    _edges: dict[Edge, None] = field(default_factory=dict)
    _members: dict[str | None, list[str]] = field(default_factory=dict)

    def group(
        self,
        gid: str,
        label: str,
        *,
        parent: str | None = None,
        kind: str = "group",
        ref: str | None = SAME_AS_ID,
        aligned: bool = False,
    ) -> str:
        """Add a group; ``ref`` defaults to the id (pass None for a group that is not a spec path)."""
        self._check_new(gid)
        self._groups[gid] = Group(
            gid, label, parent, kind, gid if ref == SAME_AS_ID else ref, aligned=aligned
        )
        return gid

    def node(
        self,
        nid: str,
        label: str,
        kind: str,
        *,
        group: str | None = None,
        details: tuple[str, ...] | list[str] = (),
        ref: str | None = SAME_AS_ID,
        off: bool = False,
    ) -> str:
        """Add a node; ``ref`` defaults to the id (pass None for a context box that is not in the spec)."""
        self._check_new(nid)
        self._nodes[nid] = Node(
            nid, label, kind, group, tuple(details), nid if ref == SAME_AS_ID else ref, off
        )
        self._members.setdefault(group, []).append(nid)
        return nid

    def members(self, group_id: str) -> list[str]:
        """Ids of the nodes directly inside a group, in declaration order."""
        return list(self._members.get(group_id, []))

    def members_of_children(self, group_id: str) -> list[str]:
        """Ids of the nodes inside the direct child groups of a group (e.g. every subnet of a tier)."""
        return [n for g in self._groups.values() if g.parent == group_id for n in self.members(g.id)]

    def edges_from(self, source: str) -> list[Edge]:
        """Edges declared so far leaving ``source``, in declaration order."""
        return [e for e in self._edges if e.source == source]

    def has(self, item_id: str) -> bool:
        return item_id in self._nodes or item_id in self._groups

    def edge(
        self,
        source: str,
        target: str,
        label: str = "",
        *,
        kind: str = "flow",
        dashed: bool = False,
        constraint: bool = True,
        upward: bool = False,
    ) -> None:
        self._edges.setdefault(Edge(source, target, label, kind, dashed, constraint, upward))

    def row(self, *node_ids: str) -> None:
        """Layout hint: draw these nodes on one rank, in this order (left to right, or top-down in LR)."""
        if len(node_ids) > 1:
            self._rows.append(tuple(node_ids))

    def order(self, before: str, after: str) -> None:
        """Layout hint: draw ``after`` below (or right of) ``before``; invisible, not a relation."""
        self.edge(before, after, kind="layout")

    def build(self) -> View:
        for g in self._groups.values():
            if g.parent is not None and g.parent not in self._groups:
                raise ValueError(f"view {self.name}: group {g.id!r} has unknown parent {g.parent!r}")
        for n in self._nodes.values():
            if n.group is not None and n.group not in self._groups:
                raise ValueError(f"view {self.name}: node {n.id!r} is in unknown group {n.group!r}")
        for e in self._edges:
            for end in (e.source, e.target):
                if not self.has(end):
                    raise ValueError(
                        f"view {self.name}: edge {e.source!r} -> {e.target!r} has unknown end {end!r}"
                    )
        view = View(
            self.name,
            self.title,
            self.direction,
            tuple(self._nodes.values()),
            tuple(self._groups.values()),
            (),
            caption=self.caption,
            rows=tuple(self._rows),
        )
        # Drop empty groups (e.g. a subnet with nothing drawn in it) and edges into them.
        keep = {g.id for g in view.groups if view.first_node_in(g.id) is not None}
        view = replace(view, groups=tuple(g for g in view.groups if g.id in keep))
        live = keep | {n.id for n in view.nodes}
        return replace(view, edges=tuple(e for e in self._edges if e.source in live and e.target in live))

    def _check_new(self, item_id: str) -> None:
        if ":" in item_id:
            # graphviz reads 'a:b' in an edge as node a, port b.
            raise ValueError(f"view {self.name}: id {item_id!r} must not contain ':'")
        if self.has(item_id):
            raise ValueError(f"view {self.name}: duplicate id {item_id!r}")


def walk_groups(view: View, parent: str | None = None, depth: int = 0) -> Iterator[tuple[Group, int]]:
    """Groups depth first, each with its nesting depth."""
    for g in view.children(parent)[0]:
        yield g, depth
        yield from walk_groups(view, g.id, depth + 1)
