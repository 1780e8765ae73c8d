"""Colours, line styles and type sizes every renderer (and the docs legend) draws views with.

Overlay colours come from Paul Tol's colour-blind-safe palettes and avoid the AWS category colours used by
the icons and group frames (orange compute, purple networking, green storage, red security); every state has
a badge and a frame style as well, so it reads without colour too.
"""

from __future__ import annotations

from dataclasses import dataclass

from archkit.diagram.model import STATUS_LABELS, Edge, Status, View

FONT_TITLE = 16
FONT_LABEL = 13
FONT_DETAIL = 12
FONT_EDGE = 12
MIN_FONT = min(FONT_TITLE, FONT_LABEL, FONT_DETAIL, FONT_EDGE)
"""Smallest type size (points) in any diagram; with :data:`COLUMN_PX` it bounds a diagram's width."""

COLUMN_PX = 688
"""Width (CSS px) of the docs content column a diagram is shown in: Material's column in a 1280 px wide
window, as measured by tests/docs/test_docs_browser.py (the issue's estimate was 690-760)."""
MIN_LABEL_PX = 9
"""Smallest label size (CSS px) acceptable at :data:`COLUMN_PX`."""
MAX_WIDTH_PT = COLUMN_PX * MIN_FONT / MIN_LABEL_PX
"""Widest SVG (viewBox units = points) whose smallest label still renders at :data:`MIN_LABEL_PX`."""

PNG_DPI = 144
"""One resolution for every PNG (2x screen pixels: sharp when zoomed)."""
PNG_MAX_INCHES = 40
"""Largest PNG side in inches (5760 px at :data:`PNG_DPI`); larger drawings are scaled down to fit."""


@dataclass(frozen=True)
class StatusStyle:
    color: str
    fill: str
    badge: str
    """Symbol drawn before the state's name on the node (the state reads without colour)."""
    frame: str
    """graphviz style of the node frame: bold, dashed or dotted."""


STATUS_STYLES: dict[Status, StatusStyle] = {
    "missing": StatusStyle("#882255", "#F6E6EE", "✖", "bold,dashed"),
    "changed": StatusStyle("#AA7700", "#FBF3DC", "Δ", "bold"),
    "non_compliant": StatusStyle("#004488", "#E1ECF7", "⚠", "bold"),
    "not_checked": StatusStyle("#555555", "#F2F2F2", "?", "dotted"),
    "suppressed": StatusStyle("#777777", "#FFFFFF", "⊘", "dashed"),
    "clean": StatusStyle("#117733", "#FFFFFF", "✓", ""),
    # The change overlay of `archkit diff --diagram` (Okabe-Ito green and vermillion; badges tell them apart).
    "added": StatusStyle("#009E73", "#E0F5EE", "+", "bold"),
    "removed": StatusStyle("#D55E00", "#FBE9DF", "\u2212", "bold,dashed"),  # minus sign
}


def status_text(status: Status) -> str:
    """``⚠ non-compliant``: badge and name of an overlay state."""
    return f"{STATUS_STYLES[status].badge} {STATUS_LABELS[status]}"


EDGE_COLORS = {
    "invokes": "#E37400",
    "reads": "#1A73E8",
    "writes": "#C5221F",
    "reads/writes": "#C5221F",
    "stream": "#9334E6",
    "origin": "#188038",
    "tree": "#9AA0A6",
    "applies": "#9AA0A6",
    "flow": "#5F6368",
}
EDGE_MEANINGS = {
    "invokes": "invokes a Lambda function",
    "reads": "reads data",
    "writes": "writes data",
    "reads/writes": "reads and writes data",
    "stream": "change stream",
    "origin": "CloudFront origin",
    "applies": "measure applies to",
    "flow": "network / request path",
}
OFF_COLOR = "#9AA0A6"


@dataclass(frozen=True)
class LegendEntry:
    text: str
    color: str
    dashed: bool


def edge_legend(view: View) -> list[LegendEntry]:
    """What each edge colour and line style drawn in ``view`` means, in first-use order."""
    entries: dict[tuple[str, bool], LegendEntry] = {}
    for e in view.edges:
        if e.kind in ("layout", "tree"):
            continue
        key = (e.kind if e.kind in EDGE_MEANINGS else "flow", e.dashed)
        if key not in entries:
            meaning = EDGE_MEANINGS[key[0]]
            entries[key] = LegendEntry(
                meaning
                + (
                    " (dashed: optional, admin or secondary path)" if e.dashed and e.kind != "applies" else ""
                ),
                edge_color(e),
                e.dashed,
            )
    return list(entries.values())


def edge_color(edge: Edge) -> str:
    return EDGE_COLORS.get(edge.kind, EDGE_COLORS["flow"])
