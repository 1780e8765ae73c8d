"""Render the view diagrams as SVG bytes for the architecture pages (the only door into `archkit.diagram`)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.spec import ArchSpec


class DiagramsUnavailable(Exception):
    """The diagrams cannot be rendered here (renderer missing, graphviz `dot` not installed...)."""


def render_svgs(spec: ArchSpec, views: Sequence[str]) -> dict[str, bytes]:
    """SVG bytes of each requested view the diagram package knows, rendered in a scratch directory."""
    try:
        from archkit.diagram import available_views, render_views
    except ImportError as exc:
        raise DiagramsUnavailable(f"the diagram renderer is not available ({exc})") from None
    wanted = [v for v in views if v in set(available_views())]
    with tempfile.TemporaryDirectory(prefix="archkit-docs-") as tmp:
        render_views(spec, Path(tmp), formats=("svg",), views=wanted)
        return {view: (Path(tmp) / f"{view}.svg").read_bytes() for view in wanted}
