"""Mermaid flowchart rendering of a view (renders on GitHub and in markdown)."""

from __future__ import annotations

import re

from archkit.diagram.model import CHANGE_STATUSES, STATUS_LABELS, STATUSES, Node, View
from archkit.diagram.style import OFF_COLOR, STATUS_STYLES, edge_legend, status_text

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


_ENTITIES = str.maketrans({"#": "#35;", "&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;"})


def _text(text: str) -> str:
    """Escape text for a quoted Mermaid label (entity codes, so no character can end the label)."""
    return text.translate(_ENTITIES)


class _Ids:
    """Mermaid-safe ids derived from view ids (unique, deterministic in declaration order)."""

    def __init__(self) -> None:
        self._map: dict[str, str] = {}
        self._used: set[str] = set()

    def __call__(self, item_id: str, prefix: str = "n") -> str:
        if item_id not in self._map:
            base = f"{prefix}_{_UNSAFE.sub('_', item_id)}"
            candidate, i = base, 2
            while candidate in self._used:
                candidate, i = f"{base}_{i}", i + 1
            self._used.add(candidate)
            self._map[item_id] = candidate
        return self._map[item_id]


def _label(node: Node) -> str:
    lines = [node.label, *node.details]
    if node.status and node.status != "clean":
        lines += [f"[{status_text(node.status)}]", *node.marks]
    return "<br/>".join(_text(x) for x in lines)


def to_mermaid(view: View) -> str:
    """The view as a Mermaid ``flowchart``, ending in a newline."""
    ids = _Ids()
    for g in view.groups:
        ids(g.id, "g")
    for n in view.nodes:
        ids(n.id, "n")
    out = [f"%% {view.title}", f"flowchart {view.direction}"]

    def emit(parent: str | None, indent: str) -> None:
        groups, nodes = view.children(parent)
        for n in nodes:
            shape = ('("', '")') if n.kind in ("feature", "method", "route") else ('["', '"]')
            out.append(f"{indent}{ids(n.id)}{shape[0]}{_label(n)}{shape[1]}")
        for g in groups:
            title = g.label + (f" [{STATUS_LABELS[g.status]}]" if g.status else "")
            out.append(f'{indent}subgraph {ids(g.id, "g")}["{_text(title)}"]')
            emit(g.id, indent + "  ")
            out.append(f"{indent}end")

    emit(None, "  ")
    if view.legend:
        out.append(f'  subgraph legend["{_text(view.legend_title)}"]')
        for status, count in view.legend:
            out.append(f'    legend_{status}["{_text(status_text(status))}: {count}"]')
        out.append("  end")
    for e in view.edges:
        if e.kind == "layout":
            # Invisible links keep the tiers in the order the other renderers draw them.
            out.append(f"  {ids(e.source)} ~~~ {ids(e.target)}")
            continue
        arrow = "---" if e.kind == "tree" else ("-.->" if e.dashed else "-->")
        label = f'|"{_text(e.label)}"|' if e.label else ""
        out.append(f"  {ids(e.source)}{arrow}{label}{ids(e.target)}")
    for row in view.findings:
        out.append(f"  %% finding: {row.node} · {STATUS_LABELS[row.status]} · {row.what} · {row.message}")
    for entry in edge_legend(view):
        out.append(f"  %% legend: {'dashed' if entry.dashed else 'solid'} {entry.color} = {entry.text}")

    off = [ids(n.id) for n in view.nodes if n.off]
    if off:
        out.append(f"  classDef off stroke-dasharray:5 5,color:{OFF_COLOR},stroke:{OFF_COLOR}")
        out.append(f"  class {','.join(off)} off")
    in_legend = {status for status, _ in view.legend}
    for status in dict.fromkeys((*STATUSES, *CHANGE_STATUSES)):
        if status == "clean":
            continue  # clean nodes keep their look; only findings are framed
        members = [ids(n.id) for n in view.nodes if n.status == status]
        if status in in_legend:
            members.append(f"legend_{status}")
        if members:
            style = STATUS_STYLES[status]
            dash = ",stroke-dasharray:6 3" if "dashed" in style.frame or "dotted" in style.frame else ""
            out.append(f"  classDef {status} fill:{style.fill},stroke:{style.color},stroke-width:3px{dash}")
            out.append(f"  class {','.join(members)} {status}")
    return "\n".join(out) + "\n"
