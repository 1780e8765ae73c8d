"""Render the view diagrams as SVG bytes for the architecture pages (the only door into `archkit.diagram`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.spec import ArchSpec


class DiagramsUnavailable(Exception):
    """The diagrams cannot be rendered here (graphviz `dot` not installed, renderer failed)."""


def render_svgs(spec: ArchSpec, views: Sequence[str]) -> dict[str, bytes]:
    """Self-contained SVG of each requested view the diagram package knows (unknown names are skipped)."""
    from archkit.diagram import VIEW_NAMES, DiagramError, build_views, render_bytes

    wanted = [v for v in views if v in VIEW_NAMES]
    try:
        built = build_views(spec, wanted)
        return {name: render_bytes(built[name], "svg") for name in wanted}
    except DiagramError as exc:
        raise DiagramsUnavailable(f"cannot render the diagrams: {exc}") from None
