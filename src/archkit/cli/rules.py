"""`archkit rules`: the compliance rule catalogue as a table, JSON or Markdown."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import console, fail
from archkit.wording import count


class CatalogueFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def rules(
    output_format: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help="table (terminal), json or markdown.")
    ] = CatalogueFormat.table,
    layer: Annotated[
        str | None,
        typer.Option(
            "--layer",
            help="Only rules of this layer (edge, api, application, data, network, cost, governance).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False),
    ] = None,
) -> None:
    """List the compliance rules: id, severity, layer, title and the matching public controls."""
    from archkit.verify.rules.base import LAYER_TITLES
    from archkit.verify.rules.catalogue import catalogue, catalogue_markdown, counterparts_text

    metas = catalogue()
    if layer is not None:
        if layer not in LAYER_TITLES:
            fail(f"unknown layer '{layer}'", hint=f"choose one of: {', '.join(LAYER_TITLES)}")
        metas = [m for m in metas if m.layer == layer]

    if output_format is CatalogueFormat.table and output is None:
        from rich.table import Table

        table = Table(title=f"archkit compliance rules ({len(metas)})", show_lines=False)
        for column in ("Id", "Severity", "Layer", "Rule", "Counterparts"):
            table.add_column(column, overflow="fold")
        for m in metas:
            table.add_row(m.id, m.severity, m.layer, m.title, counterparts_text(m, sep="\n"))
        console.print(table)
        return

    if output_format is CatalogueFormat.json:
        text = json.dumps([m.model_dump(mode="json") for m in metas], indent=2, sort_keys=True) + "\n"
    elif output_format is CatalogueFormat.markdown:
        text = catalogue_markdown(metas)
    else:
        fail("--format table prints to the terminal; use --format json or markdown with --output")
    if output is None:
        typer.echo(text, nl=False)
        return
    from archkit.io import write_text_atomic

    write_text_atomic(output, text)
    console.print(f"[green]✓[/] wrote {output} ({count(len(metas), 'rule')})")
