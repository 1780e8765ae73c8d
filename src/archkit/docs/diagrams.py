"""Render the view diagrams as figures for the architecture pages (the only door into `archkit.diagram`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.spec import ArchSpec


class DiagramsUnavailable(Exception):
    """The diagrams cannot be rendered here (graphviz `dot` not installed, renderer failed)."""


@dataclass(frozen=True)
class LegendItem:
    text: str
    color: str
    dashed: bool


@dataclass(frozen=True)
class Figure:
    """One diagram as a page shows it: the SVG with its caption and legend."""

    name: str
    """Diagram name and file stem (`api-features`)."""
    view: str
    """The view it belongs to (`api`): a page shows every diagram of its view."""
    title: str
    caption: str
    legend: tuple[LegendItem, ...]
    svg: bytes


def render_figures(spec: ArchSpec, views: Sequence[str]) -> dict[str, Figure]:
    """Every diagram of each requested view the diagram package knows (unknown names are skipped)."""
    from archkit.diagram import VIEW_NAMES, DiagramError, build_views, render_bytes
    from archkit.diagram.style import edge_legend
    from archkit.diagram.views import family

    wanted = [v for v in views if v in VIEW_NAMES]
    try:
        built = build_views(spec, wanted)
        return {
            name: Figure(
                name=name,
                view=family(name),
                title=view.title,
                caption=view.caption,
                legend=tuple(LegendItem(e.text, e.color, e.dashed) for e in edge_legend(view)),
                svg=render_bytes(view, "svg"),
            )
            for name, view in built.items()
        }
    except DiagramError as exc:
        raise DiagramsUnavailable(f"cannot render the diagrams: {exc}") from None
