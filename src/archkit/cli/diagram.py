"""`archkit diagram`: draw the seed's seven views of a spec as png, svg, dot, txt and mmd."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import EnvOption, SpecOption, console, err_console, fail, load_or_exit, user_errors
from archkit.wording import count

DEFAULT_OUT = Path("generated/diagrams")
OVERLAY_OUT = DEFAULT_OUT / "overlay"


def diagram(
    spec: SpecOption = None,
    env: EnvOption = None,
    view: Annotated[
        list[str] | None,
        typer.Option(
            "--view",
            "-v",
            help="overview, lambda, dynamodb, s3, api, security, cost or all (repeatable or comma list).",
            show_default="all",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated formats: png, svg, dot, txt, mmd.")
    ] = "png,svg,dot,txt,mmd",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output directory (default generated/diagrams; with --overlay, generated/diagrams/overlay).",
        ),
    ] = None,
    overlay: Annotated[
        Path | None,
        typer.Option(
            "--overlay",
            help="`archkit verify --format json` report: colour nodes missing/changed/non-compliant/clean.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draw architecture diagrams from the spec: writes <out>/<view>.<format> for each view and format."""
    from archkit.diagram import (
        VIEW_NAMES,
        DiagramError,
        GraphvizNotFound,
        apply_overlay,
        build_views,
        load_overlay,
        write_views,
    )
    from archkit.diagram.output import check_formats
    from archkit.diagram.overlay import unmatched

    names = [n.strip() for item in (view or ["all"]) for n in item.split(",") if n.strip()]
    selected = list(VIEW_NAMES) if "all" in names or not names else list(dict.fromkeys(names))
    bad = [n for n in selected if n not in VIEW_NAMES]
    if bad:
        fail(f"unknown view {bad[0]!r}", hint=f"choose from {', '.join(VIEW_NAMES)} or all")
    try:
        formats = check_formats(fmt.split(","))
    except DiagramError as exc:
        fail(str(exc))
    target = out if out is not None else (OVERLAY_OUT if overlay is not None else DEFAULT_OUT)

    with user_errors():
        loaded = load_or_exit(spec, env)
        try:
            report = load_overlay(overlay) if overlay is not None else None
            views = build_views(loaded, selected)
            if report is not None:
                views = {name: apply_overlay(v, report) for name, v in views.items()}
                missed = unmatched(views, report)
                if missed:
                    shown = ", ".join(sorted({f.resource or "?" for f in missed})[:5])
                    err_console.print(
                        f"[yellow]warning:[/] {count(len(missed), 'finding')} "
                        f"{'matches' if len(missed) == 1 else 'match'} no drawn resource: "
                        f"{shown}",
                        soft_wrap=True,
                    )
            console.print(
                f"Drawing {count(len(selected), 'view')} ({count(len(views), 'diagram')}) "
                f"of [bold]{loaded.project}[/] "
                f"({loaded.environment}) as {', '.join(formats)} → {target}"
            )
            width = max(len(name) for name in views)

            def progress(name: str, paths: list[Path], seconds: float) -> None:
                console.print(
                    f"  [green]✓[/] {name:<{width}} {count(len(paths), 'file')}  [dim]{seconds:.2f}s[/]"
                )

            written = write_views(views, target, formats, progress)
        except GraphvizNotFound as exc:
            fail(str(exc), hint="apt-get install graphviz  |  brew install graphviz")
        except DiagramError as exc:
            fail(str(exc))
    console.print(f"[green]✓[/] wrote {count(len(written), 'file')} to {target}")
