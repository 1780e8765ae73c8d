"""Mermaid flowchart rendering of a view (renders on GitHub and in markdown)."""

from __future__ import annotations

import re

from archkit.diagram.model import CHANGE_STATUSES, STATUS_LABELS, STATUSES, Node, View

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_STATUS_STYLES = {
    "missing": "fill:#FCE8E6,stroke:#D93025,stroke-width:3px",
    "changed": "fill:#FEF7E0,stroke:#E37400,stroke-width:3px",
    "non_compliant": "fill:#F3E8FD,stroke:#9334E6,stroke-width:3px",
    "not_checked": "fill:#F1F3F4,stroke:#80868B,stroke-width:3px",
    "clean": "fill:#E6F4EA,stroke:#188038,stroke-width:3px",
    "added": "fill:#E0F5EE,stroke:#009E73,stroke-width:3px",
    "removed": "fill:#FBE9DF,stroke:#D55E00,stroke-width:3px,stroke-dasharray:5 5",
}


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
    if node.status:
        lines.append(f"[{STATUS_LABELS[node.status]}]")
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
            out.append(f'    legend_{status}["{_text(STATUS_LABELS[status])}: {count}"]')
        out.append("  end")
    for e in view.edges:
        if e.kind == "layout":
            continue
        arrow = "---" if e.kind == "tree" else ("-.->" if e.dashed else "-->")
        label = f'|"{_text(e.label)}"|' if e.label else ""
        out.append(f"  {ids(e.source)}{arrow}{label}{ids(e.target)}")

    off = [ids(n.id) for n in view.nodes if n.off]
    if off:
        out.append("  classDef off stroke-dasharray:5 5,color:#9AA0A6,stroke:#9AA0A6")
        out.append(f"  class {','.join(off)} off")
    in_legend = {status for status, _ in view.legend}
    for status in dict.fromkeys((*STATUSES, *CHANGE_STATUSES)):
        members = [ids(n.id) for n in view.nodes if n.status == status]
        if status in in_legend:
            members.append(f"legend_{status}")
        if members:
            out.append(f"  classDef {status} {_STATUS_STYLES[status]}")
            out.append(f"  class {','.join(members)} {status}")
    return "\n".join(out) + "\n"
