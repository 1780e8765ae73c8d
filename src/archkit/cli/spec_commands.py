"""`archkit validate` and `archkit schema`: the commands that need nothing but the spec package."""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from archkit.cli.common import (
    EXIT_USAGE,
    SpecOption,
    console,
    report_spec_error,
    resolve_spec_path,
)
from archkit.wording import count

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def validate(
    spec_arg: Annotated[
        Path | None,
        typer.Argument(metavar="SPEC", help="Spec file (YAML or JSON); same as --spec.", show_default=False),
    ] = None,
    spec: SpecOption = None,
    env: Annotated[
        str | None,
        typer.Option(
            "--env",
            "-e",
            help="Check only this environment (default: every environment the spec declares).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text for people, json for tools and editors.")
    ] = OutputFormat.text,
) -> None:
    """Check a spec: types, unknown keys, references, CIDRs and AWS names, in every environment.

    Prints one line per problem (file:line:column: spec.path: message) and exits 2 if there is any.
    """
    from archkit.spec import SpecError, load_environments, load_spec

    path = resolve_spec_path(spec_arg or spec)
    try:
        specs = {env: load_spec(path, env)} if env else load_environments(path)
    except SpecError as exc:
        if output_format is OutputFormat.json:
            issues = [dataclasses.asdict(issue) for issue in exc.issues]
            typer.echo(json.dumps({"valid": False, "spec": str(path), "issues": issues}, indent=2))
            raise typer.Exit(EXIT_USAGE) from None
        report_spec_error(exc)
    summaries = [_summary(resolved) for resolved in specs.values()]
    if output_format is OutputFormat.json:
        typer.echo(json.dumps({"valid": True, "spec": str(path), "environments": summaries}, indent=2))
        return
    for summary in summaries:
        counts = summary["counts"]
        console.print(
            f"[green]✓[/] {path} is valid: project [bold]{summary['project']}[/], environment "
            f"[bold]{summary['environment']}[/], {count(summary['resources'], 'resource')} "
            f"({count(counts['functions'], 'function')}, {count(counts['tables'], 'table')}, "
            f"{count(counts['buckets'], 'bucket')}, {count(counts['api_methods'], 'API method')})",
            soft_wrap=True,
        )


def _summary(spec: Any) -> dict[str, Any]:
    return {
        "project": spec.project,
        "environment": spec.environment,
        "resources": len(spec.resources()),
        "counts": {
            "functions": len(spec.functions),
            "tables": len(spec.tables),
            "buckets": len(spec.buckets),
            "api_methods": len(spec.api.methods()),
        },
    }


def schema_text() -> str:
    """The JSON Schema of the spec, as written to ``generated/archkit.schema.json`` (deterministic)."""
    from archkit.spec import ArchSpec

    body = ArchSpec.model_json_schema()
    document = {"$schema": SCHEMA_DIALECT, **body}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the schema to this file instead of stdout.", show_default=False
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the spec, for editor completion and checking of spec files.

    Point the YAML language server at it with a first line such as
    `# yaml-language-server: $schema=../generated/archkit.schema.json`.
    """
    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    from archkit.io import write_text_atomic

    write_text_atomic(output, text)
    console.print(f"[green]✓[/] wrote {output}")
