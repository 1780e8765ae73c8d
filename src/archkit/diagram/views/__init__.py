"""One builder per seed view, ``build(spec) -> View``. Builders read the spec; renderers read only views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from archkit.diagram.model import View
from archkit.diagram.views import api, cost, dynamodb, lambda_view, overview, s3, security

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

BUILDERS: dict[str, Callable[[ArchSpec], View | list[View]]] = {
    "overview": overview.build,
    "lambda": lambda_view.build,
    "dynamodb": dynamodb.build,
    "s3": s3.build,
    "api": api.build,
    "security": security.build,
    "cost": cost.build,
}
"""The seven views of the seed, in the order of the seed document. A builder returns one diagram, or
several when one would not read at page width (``api`` and ``api-features``); the first is named after
the view, the others ``<view>-<part>``."""

VIEW_NAMES: tuple[str, ...] = tuple(BUILDERS)


def build_views(spec: ArchSpec, names: list[str] | tuple[str, ...] | None = None) -> dict[str, View]:
    """Build the named views (default: all seven, in seed order) from a spec: diagram name -> view.

    A split view contributes each of its diagrams (``security`` gives ``security``, ``security-api``, ...).
    """
    selected = VIEW_NAMES if names is None else tuple(names)
    unknown = [n for n in selected if n not in BUILDERS]
    if unknown:
        raise ValueError(f"unknown view {unknown[0]!r}; choose from {', '.join(VIEW_NAMES)} or all")
    out: dict[str, View] = {}
    for name in selected:
        built = BUILDERS[name](spec)
        for view in [built] if isinstance(built, View) else built:
            out[view.name] = view
    return out


def family(diagram: str) -> str:
    """The view a diagram belongs to: ``api-features`` -> ``api``."""
    return diagram.partition("-")[0]
