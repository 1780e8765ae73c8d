"""What every architecture page shares: the page record, the render context and the page frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archkit.docs.markdown import code, generated_page, image, join_blocks, table, text

if TYPE_CHECKING:
    from archkit.spec import ArchSpec

DIAGRAM_DIR = "diagrams"
"""Sub-directory of the architecture pages holding the copied SVG diagrams (the site is self-contained)."""


@dataclass(frozen=True)
class RuleInfo:
    """What a page needs to know about a compliance rule (filled from the rule catalogue when it exists)."""

    id: str
    title: str
    severity: str
    layer: str = ""
    """Seed security layer or cost pillar the rule enforces (free text from the rule's metadata)."""


@dataclass(frozen=True)
class PageContext:
    """Everything a view page may use besides the spec itself."""

    source: str
    """How the spec is named on the page, e.g. `specs/reference.yaml`."""
    command: str = "archkit docs"
    diagrams: frozenset[str] = frozenset()
    """Names of the views whose SVG sits in `diagrams/` next to the pages."""
    rules: Sequence[RuleInfo] = field(default_factory=tuple)
    rules_page: str | None = None
    """Link from the architecture pages to the rule catalogue (relative), when one is generated."""


@dataclass(frozen=True)
class ViewPage:
    """One generated architecture page."""

    file: str
    """File name inside the architecture directory, e.g. `dynamodb.md`."""
    title: str
    diagram_views: tuple[str, ...]
    """Diagram views to show, first available wins (e.g. a `network` view, else the `overview`)."""
    intro: str
    body: Callable[[ArchSpec, PageContext], str]
    rule_layers: tuple[str, ...] = ()
    """Rule layers listed in a closing "Compliance rules" section (the security page lists its own)."""

    def render(self, spec: ArchSpec, ctx: PageContext) -> str:
        """The whole Markdown page: generated banner, title, intro, diagram, then the view's tables."""
        diagram = next((v for v in self.diagram_views if v in ctx.diagrams), None)
        figure = image(f"{self.title} diagram", f"{DIAGRAM_DIR}/{diagram}.svg") if diagram else ""
        return generated_page(
            self.title,
            ctx.source,
            ctx.command,
            self.intro,
            figure,
            self.body(spec, ctx),
            rules_table(ctx, self.rule_layers, "Compliance rules"),
            environment=spec.environment,
        )


def rules_table(ctx: PageContext, layers: tuple[str, ...], title: str, level: int = 2) -> str:
    """The compliance rules of some layers, linked to the catalogue; empty when there are none to show."""
    rules = [r for r in ctx.rules if r.layer in layers]
    if not rules or ctx.rules_page is None:
        return ""
    rows = [(f"[{code(r.id)}]({ctx.rules_page}#{r.id.lower()})", text(r.title), r.severity) for r in rules]
    return section(title, table(["Rule", "A compliant resource", "Severity"], rows), level=level)


def section(title: str, *blocks: str, level: int = 2, anchor: str | None = None) -> str:
    """A heading (with an optional explicit anchor id) followed by its blocks."""
    attr = f" {{#{anchor}}}" if anchor else ""
    return join_blocks(f"{'#' * level} {title}{attr}", *blocks)
