"""Box-drawing text rendering of a view, in the spirit of the seed document (terminal and code review).

Groups are frames, nodes are boxes packed into rows, trees (route and prefix trees) are indented like
``tree`` output, and every relation is spelled out as ``source ──label──▶ target`` under the frame
that holds its source.
"""

from __future__ import annotations

import unicodedata

from archkit.diagram.model import Edge, Node, View
from archkit.diagram.style import edge_legend, status_text

WIDTH = 100
"""Total width in terminal columns."""
_GAP = "  "
MIN_FRAME = 26
"""Narrowest frame drawn beside its siblings; narrower ones are stacked."""


def width_of(text: str) -> int:
    """Terminal columns a string occupies (wide East Asian characters count twice)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - width_of(text))


def _clip(text: str, width: int) -> list[str]:
    """Wrap a line to ``width`` columns, breaking at spaces where possible."""
    if width_of(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if width_of(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while width_of(word) > width:
            cut = width
            while width_of(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


class _Renderer:
    def __init__(self, view: View) -> None:
        self.view = view
        self.tree_edges = [e for e in view.edges if e.kind == "tree"]
        self.relations = [e for e in view.edges if e.kind not in ("tree", "layout")]
        self.names = self._display_names()
        self.group_ids = {g.id for g in view.groups}

    def _display_names(self) -> dict[str, str]:
        """Readable, unambiguous name of each node and group for relation lines."""
        counts: dict[str, int] = {}
        for n in self.view.nodes:
            counts[n.label] = counts.get(n.label, 0) + 1
        names = {g.id: g.label for g in self.view.groups}
        for n in self.view.nodes:
            names[n.id] = f"{n.label} ({n.details[0]})" if counts[n.label] > 1 and n.details else n.label
        parents = {n.id: n.group for n in self.view.nodes}
        # Still ambiguous (e.g. GET on several routes): name the parent in the tree.
        tree_parent = {e.target: e.source for e in self.tree_edges}
        seen: dict[str, int] = {}
        for name in names.values():
            seen[name] = seen.get(name, 0) + 1
        for nid, name in list(names.items()):
            if seen[name] > 1 and nid in tree_parent:
                names[nid] = f"{self._path_name(nid, tree_parent)}"
            elif seen[name] > 1 and parents.get(nid):
                names[nid] = f"{name} in {names[parents[nid] or '']}"
        return names

    def _path_name(self, nid: str, tree_parent: dict[str, str]) -> str:
        parts = []
        current: str | None = nid
        while current is not None and current in tree_parent:
            parts.append(self.view.node(current).label)
            current = tree_parent.get(current)
        return " ".join(reversed(parts))

    # -- layout ------------------------------------------------------------------------------------

    def render(self) -> str:
        inner = WIDTH - 4
        lines = [
            "┌" + "─" * (WIDTH - 2) + "┐",
            "│ " + _pad(self.view.title, inner) + " │",
            "├" + "─" * (WIDTH - 2) + "┤",
        ]
        lines += ["│ " + line + " │" for line in self._body(None, inner)]
        if self.view.legend:
            lines.append("├" + "─" * (WIDTH - 2) + "┤")
            legend = f"{self.view.legend_title}: " + " · ".join(
                f"[{status_text(s)}] {n}" for s, n in self.view.legend
            )
            lines += ["│ " + _pad(x, inner) + " │" for x in _clip(legend, inner)]
        for row in self.view.findings:
            text = f"{status_text(row.status)} · {row.node} · {row.what}" + (
                f" · {row.message}" if row.message else ""
            )
            lines += ["│ " + _pad(x, inner) + " │" for x in _clip(text, inner)]
        entries = edge_legend(self.view)
        if entries:
            lines.append("├" + "─" * (WIDTH - 2) + "┤")
            for entry in entries:
                arrow = "╌╌▶" if entry.dashed else "──▶"
                lines += ["│ " + _pad(x, inner) + " │" for x in _clip(f"{arrow} {entry.text}", inner)]
        for note in self.view.notes:
            lines += ["│ " + _pad(x, inner) + " │" for x in _clip(note, inner)]
        lines.append("└" + "─" * (WIDTH - 2) + "┘")
        return "\n".join(lines) + "\n"

    def _body(self, group: str | None, width: int) -> list[str]:
        """A group's content as the diagram lays it out: layer after layer in flow order, each layer's
        boxes side by side in row order (AZ a, b, c), frames full width, then the relations."""
        groups, nodes = self.view.children(group)
        out: list[str] = []
        in_tree = {e.source for e in self.tree_edges} | {e.target for e in self.tree_edges}
        tree = [n for n in nodes if n.id in in_tree]
        items = [n.id for n in nodes if n.id not in in_tree] + [g.id for g in groups]
        for i, layer in enumerate(self._layers(items)):
            if i:
                out.append(_pad(" " * (width // 2 - 1) + "▼", width))
            boxed = [self.view.node(x) for x in layer if x not in self.group_ids]
            out += self._rows(boxed, width)
            frames = [x for x in layer if x in self.group_ids]
            each = (width - len(_GAP) * (len(frames) - 1)) // max(1, len(frames))
            if len(frames) > 1 and each >= MIN_FRAME:
                # Sibling frames of one layer side by side (the AZs a, b, c), as in the diagram.
                out += self._join([self._frame(gid, each) for gid in frames], width)
            else:
                for gid in frames:
                    out += self._frame(gid, width)
        if tree:
            out += self._tree(tree, width)
        members = {n.id for n in nodes} | ({group} if group else set())
        for edge in self.relations:
            if edge.source in members and not (tree and edge.source in in_tree):
                out += [_pad(x, width) for x in _clip("  " + self._relation(edge), width)]
        return out

    def _layers(self, items: list[str]) -> list[list[str]]:
        """Items of one level grouped by their rank in the flow (longest path over the ranking edges)."""
        owner = {item: item for item in items}
        for item in items:
            if item in self.group_ids:
                for nid in self._descendants(item):
                    owner[nid] = item
        preds: dict[str, set[str]] = {item: set() for item in items}
        for e in self.view.edges:
            if not e.constraint or e.kind == "tree":
                continue
            a, z = owner.get(e.source), owner.get(e.target)
            if e.upward:
                a, z = z, a
            if a and z and a != z:
                preds[z].add(a)
        rank: dict[str, int] = {}
        for _ in range(len(items) + 1):  # longest path; a cycle stops growing after len(items) rounds
            changed = False
            for item in items:
                r = max((rank.get(p, 0) + 1 for p in preds[item]), default=0)
                if rank.get(item) != r and r <= len(items):
                    rank[item], changed = r, True
            if not changed:
                break
        order = {nid: i for row in self.view.rows for i, nid in enumerate(row)}
        layers: dict[int, list[str]] = {}
        for item in items:
            layers.setdefault(rank.get(item, 0), []).append(item)
        return [
            sorted(layer, key=lambda x: (order.get(x, len(order)), items.index(x)))
            for _, layer in sorted(layers.items())
        ]

    def _descendants(self, group_id: str) -> list[str]:
        groups, nodes = self.view.children(group_id)
        return [n.id for n in nodes] + [d for g in groups for d in [g.id, *self._descendants(g.id)]]

    def _frame(self, group_id: str, width: int) -> list[str]:
        g = self.view.group(group_id)
        label = g.label + (f" [{status_text(g.status)}]" if g.status and g.status != "clean" else "")
        label = _clip(label, max(1, width - 4))[0]  # the frame's own width bounds its title
        head = f"┌─ {label}" + (" " if width_of(label) < width - 4 else "")
        top = head + "─" * max(0, width - width_of(head) - 1) + "┐"
        body = self._body(group_id, width - 4)
        return [top, *("│ " + line + " │" for line in body), "└" + "─" * (width - 2) + "┘"]

    def _node_lines(self, node: Node) -> list[str]:
        if node.status is None or node.status == "clean":
            return [node.label, *node.details]
        return [f"{node.label} [{status_text(node.status)}]", *node.details, *node.marks]

    def _box(self, node: Node, max_width: int) -> list[str]:
        inner = min(max(width_of(x) for x in self._node_lines(node)), max_width - 4)
        content = [part for line in self._node_lines(node) for part in _clip(line, inner)]
        h, v = ("╌", "╎") if node.off else ("─", "│")
        return [
            f"┌{h * (inner + 2)}┐",
            *(f"{v} {_pad(x, inner)} {v}" for x in content),
            f"└{h * (inner + 2)}┘",
        ]

    def _rows(self, nodes: list[Node], width: int) -> list[str]:
        out: list[str] = []
        row: list[list[str]] = []
        used = 0
        for node in nodes:
            box = self._box(node, width)
            w = width_of(box[0])
            if row and used + len(_GAP) + w > width:
                out += self._join(row, width)
                row, used = [], 0
            used += (len(_GAP) if row else 0) + w
            row.append(box)
        if row:
            out += self._join(row, width)
        return out

    @staticmethod
    def _join(boxes: list[list[str]], width: int) -> list[str]:
        height = max(len(b) for b in boxes)
        lines = []
        for i in range(height):
            parts = [b[i] if i < len(b) else " " * width_of(b[0]) for b in boxes]
            lines.append(_pad(_GAP.join(parts), width))
        return lines

    def _tree(self, nodes: list[Node], width: int) -> list[str]:
        ids = {n.id for n in nodes}
        children: dict[str, list[str]] = {}
        targets = set()
        for e in self.tree_edges:
            if e.source in ids and e.target in ids:
                children.setdefault(e.source, []).append(e.target)
                targets.add(e.target)
        out: list[str] = []

        def line(node_id: str, prefix: str, connector: str) -> None:
            node = self.view.node(node_id)
            text = " · ".join(self._node_lines(node))
            rels = [e for e in self.relations if e.source == node_id]
            if rels:
                text += "  " + "; ".join(self._relation(e, with_source=False) for e in rels)
            kids = children.get(node_id, [])
            deeper = prefix + {"└── ": "    ", "├── ": "│   "}.get(connector, "")
            # Wrapped text continues under the node, keeping the tree's guide lines.
            lead = prefix + connector
            parts = _clip(text, max(10, width - width_of(lead)))
            follow = deeper + ("│   " if kids else "    ")
            out.append(_pad(lead + parts[0], width))
            out.extend(_pad(follow + part, width) for part in parts[1:])
            for i, kid in enumerate(kids):
                line(kid, deeper, "└── " if i == len(kids) - 1 else "├── ")

        for root in (n.id for n in nodes if n.id not in targets):
            line(root, "", "")
        return out

    def _relation(self, edge: Edge, *, with_source: bool = True) -> str:
        arrow = f"──{edge.label}──▶" if edge.label else "──▶"
        if edge.dashed:
            arrow = arrow.replace("─", "╌")
        target = self.names[edge.target]
        return f"{self.names[edge.source]} {arrow} {target}" if with_source else f"{arrow} {target}"


def to_text(view: View) -> str:
    """The view as box-drawing text, ``WIDTH`` columns wide, ending in a newline."""
    return _Renderer(view).render()
