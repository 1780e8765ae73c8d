"""Assemble the generated part of the site in memory: architecture pages, their diagrams, reference pages.

Everything here is pure (no file system): the writer decides where the bytes go, and `--check` compares
them with what is on disk. Same inputs, same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.docs.views import DIAGRAM_DIR, VIEW_PAGES, PageContext, RuleInfo

if TYPE_CHECKING:
    from archkit.docs.diagrams import Figure
    from archkit.spec import ArchSpec

REFERENCE_PAGES: tuple[str, ...] = ("cli.md", "spec.md", "rules.md")
"""Generated reference pages (the Python API page beside them is hand-written: mkdocstrings blocks)."""


def diagram_views_used() -> list[str]:
    """Every diagram view a page can show, in page order (a page shows the first one present)."""
    return list(dict.fromkeys(v for page in VIEW_PAGES for v in page.diagram_views))


@dataclass(frozen=True)
class ArchitectureInput:
    """What the architecture pages are made from."""

    spec: ArchSpec
    source: str
    """The spec as named on the pages, e.g. `specs/reference.yaml`."""
    diagrams: Mapping[str, Figure] = field(default_factory=dict)
    """Figures by diagram name; a page without any is left without a diagram."""
    rules: Sequence[RuleInfo] = ()
    rules_page: str | None = None
    """Relative link from the architecture pages to the rule catalogue page."""


def architecture_files(data: ArchitectureInput) -> dict[str, bytes]:
    """`index.md`, one page per view and `diagrams/<diagram>.svg` for each diagram a page shows."""
    ctx = PageContext(
        source=data.source,
        diagrams=dict(data.diagrams),
        rules=tuple(data.rules),
        rules_page=data.rules_page,
    )
    files: dict[str, bytes] = {}
    for page in VIEW_PAGES:
        files[page.file] = page.render(data.spec, ctx).encode("utf-8")
    for page in VIEW_PAGES:
        for figure in page.figures(ctx):
            files[f"{DIAGRAM_DIR}/{figure.name}.svg"] = figure.svg
    return dict(sorted(files.items()))


def reference_files(
    rule_metas: Sequence[Any] | None, layer_titles: Mapping[str, str] | None, cli_app: Any
) -> dict[str, bytes]:
    """The CLI reference of ``cli_app`` (a Typer app), the spec reference and the rule catalogue (only when
    the rules are given)."""
    from archkit.docs.cli_reference import cli_reference_markdown
    from archkit.docs.rule_catalogue import rule_catalogue_markdown
    from archkit.docs.spec_reference import spec_reference_markdown

    files = {
        "cli.md": cli_reference_markdown(cli_app).encode("utf-8"),
        "spec.md": spec_reference_markdown().encode("utf-8"),
    }
    if rule_metas is not None:
        files["rules.md"] = rule_catalogue_markdown(rule_metas, layer_titles or {}).encode("utf-8")
    return dict(sorted(files.items()))
