"""The documentation site generated from a spec: architecture pages per view, and the reference pages.

`build_docs` assembles everything in memory (deterministic bytes); `archkit docs` writes it with
`archkit.docs.writer`. This package imports pydantic (via `archkit.spec`) only; the diagram renderer,
the rule catalogue and the Typer app load when a page needs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.docs.site import (
    REFERENCE_PAGES,
    ArchitectureInput,
    architecture_files,
    diagram_views_used,
    reference_files,
)

if TYPE_CHECKING:
    from archkit.docs.diagrams import Figure
    from archkit.spec import ArchSpec

DEFAULT_ARCHITECTURE_DIR = "docs/architecture"
DEFAULT_REFERENCE_DIR = "docs/reference"


@dataclass(frozen=True)
class DocsBuild:
    """The generated files: architecture pages (+ diagrams) and reference pages, by relative path."""

    architecture: dict[str, bytes]
    reference: dict[str, bytes] = field(default_factory=dict)


def build_docs(
    spec: ArchSpec,
    *,
    source: str,
    diagrams: bool = True,
    rules: bool = True,
    reference: bool = True,
    rules_link: str = "../reference/rules.md",
    cli_app: Any = None,
) -> DocsBuild:
    """Every generated page for a spec.

    Args:
        spec: The resolved spec (one environment).
        source: How the pages name the spec, e.g. `specs/reference.yaml`.
        diagrams: Render the view diagrams (needs graphviz `dot`) and embed them as SVG.
        rules: Include the compliance rule catalogue and link the rules from the security page.
        reference: Also build the CLI, spec and rule reference pages (needs ``cli_app``).
        rules_link: Link from the architecture directory to the rule catalogue page.
        cli_app: The Typer app the CLI reference page describes (the CLI passes itself).
    """
    if reference and cli_app is None:
        raise ValueError("the reference pages need the Typer app of the CLI (cli_app)")
    figures: dict[str, Figure] = {}
    if diagrams:
        from archkit.docs.diagrams import render_figures

        figures = render_figures(spec, diagram_views_used())
    metas, layers = None, None
    if rules:
        from archkit.docs.rule_catalogue import load_catalogue, rule_infos

        metas, layers = load_catalogue()
    arch = architecture_files(
        ArchitectureInput(
            spec=spec,
            source=source,
            diagrams=figures,
            rules=rule_infos(metas) if metas is not None else (),
            rules_page=rules_link if metas is not None else None,
        )
    )
    refs = reference_files(metas, layers, cli_app) if reference else {}
    return DocsBuild(architecture=arch, reference=refs)


__all__ = [
    "DEFAULT_ARCHITECTURE_DIR",
    "DEFAULT_REFERENCE_DIR",
    "REFERENCE_PAGES",
    "DocsBuild",
    "build_docs",
]
