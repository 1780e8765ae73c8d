"""One builder per seed view, ``build(spec) -> View``. Builders read the spec; renderers read only views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from archkit.diagram.views import api, cost, dynamodb, lambda_view, overview, s3, security

if TYPE_CHECKING:
    from archkit.diagram.model import View
    from archkit.spec.system import ArchSpec

BUILDERS: dict[str, Callable[[ArchSpec], View]] = {
    "overview": overview.build,
    "lambda": lambda_view.build,
    "dynamodb": dynamodb.build,
    "s3": s3.build,
    "api": api.build,
    "security": security.build,
    "cost": cost.build,
}
"""The seven views of the seed, in the order of the seed document."""

VIEW_NAMES: tuple[str, ...] = tuple(BUILDERS)


def build_views(spec: ArchSpec, names: list[str] | tuple[str, ...] | None = None) -> dict[str, View]:
    """Build the named views (default: all seven, in seed order) from a spec."""
    selected = VIEW_NAMES if names is None else tuple(names)
    unknown = [n for n in selected if n not in BUILDERS]
    if unknown:
        raise ValueError(f"unknown view {unknown[0]!r}; choose from {', '.join(VIEW_NAMES)} or all")
    return {name: BUILDERS[name](spec) for name in selected}
