"""What every architecture page shares: the page record, the render context and the page frame."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from archkit.docs.markdown import code, generated_page, join_blocks, table, text

if TYPE_CHECKING:
    from archkit.docs.diagrams import Figure
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
    diagrams: Mapping[str, Figure] = field(default_factory=dict)
    """The rendered diagrams by name; their SVG sits in `diagrams/` next to the pages."""
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
    """Views whose diagrams to show, first available wins (e.g. a `network` view, else the `overview`);
    a split view shows each of its diagrams (`api` and `api-features`)."""
    intro: str
    body: Callable[[ArchSpec, PageContext], str]
    rule_layers: tuple[str, ...] = ()
    """Rule layers listed in a closing "Compliance rules" section (the security page lists its own)."""

    def figures(self, ctx: PageContext) -> list[Figure]:
        """The diagrams this page shows, in the view's order."""
        for view in self.diagram_views:
            found = [f for f in ctx.diagrams.values() if f.view == view]
            if found:
                return found
        return []

    def render(self, spec: ArchSpec, ctx: PageContext) -> str:
        """The whole Markdown page: generated banner, title, intro, diagrams, then the view's tables."""
        return generated_page(
            self.title,
            ctx.source,
            ctx.command,
            self.intro,
            *(figure_block(f) for f in self.figures(ctx)),
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


def figure_block(figure: Figure) -> str:
    """A diagram as a figure: the SVG at column width linking to itself at full size, a caption and the
    legend of its edge colours and line styles (styled by `docs/stylesheets/archkit.css`).

    Markdown inside `md_in_html` blocks, so that mkdocs checks and rewrites the links like any other.
    """
    src = f"{DIAGRAM_DIR}/{figure.name}.svg"
    legend = "".join(
        f'<span class="archkit-legend__item"><span class="archkit-legend__line" style="border-top-color: '
        f'{item.color}; border-top-style: {"dashed" if item.dashed else "solid"}"></span>'
        f"{escape(item.text)}</span>"
        for item in figure.legend
    )
    lines = [
        f'<figure class="archkit-diagram" id="diagram-{figure.name}" markdown>',
        f'[![{text(figure.title)}]({src})]({src} "Open the diagram at full size")',
        "<figcaption markdown>",
        f"**{text(figure.title)}.** {text(figure.caption)} [Open full size]({src})".replace("  ", " "),
    ]
    if legend:
        lines.append(f'<span class="archkit-legend">{legend}</span>')
    lines += ["</figcaption>", "</figure>"]
    return "\n".join(lines) + "\n"
