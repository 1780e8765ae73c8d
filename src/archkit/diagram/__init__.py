"""Architecture diagrams of a spec: the seed's seven views as graphs, drawn as png, svg, dot, txt and mmd.

Library API (the CLI ``archkit diagram`` and the docs site use it)::

    from archkit.diagram import build_views, render, render_bytes

    views = build_views(spec)                    # {"overview": View, "lambda": View, ...}
    render(views["overview"], "svg", "docs/img/overview.svg")   # self-contained SVG
    text = render_bytes(views["api"], "txt").decode()           # box-drawing text

Views are plain data (:mod:`archkit.diagram.model`) built from the spec by one module per view
(:mod:`archkit.diagram.views`); renderers draw a view and never look at the spec. ``png`` and ``svg`` need
graphviz ``dot`` (:class:`GraphvizNotFound` otherwise); ``dot``, ``txt`` and ``mmd`` do not.
A drift overlay colours nodes by verify findings: ``apply_overlay(view, load_overlay("verify.json"))``.

Importing this package does not import ``diagrams``; rendering png/svg/dot does.
"""

from archkit.diagram.errors import DiagramError, GraphvizNotFound
from archkit.diagram.model import Edge, Group, Node, View
from archkit.diagram.output import FORMATS, render, render_bytes, render_view, write_views
from archkit.diagram.overlay import Overlay, apply_overlay, load_overlay, parse_overlay
from archkit.diagram.views import VIEW_NAMES, build_views

__all__ = [
    "FORMATS",
    "VIEW_NAMES",
    "DiagramError",
    "Edge",
    "GraphvizNotFound",
    "Group",
    "Node",
    "Overlay",
    "View",
    "apply_overlay",
    "build_views",
    "load_overlay",
    "parse_overlay",
    "render",
    "render_bytes",
    "render_view",
    "write_views",
]
