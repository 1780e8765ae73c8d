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
    spec_only: Annotated[
        bool,
        typer.Option(
            "--spec-only",
            help=(
                "Check the spec alone, not what generate needs around it (code directories and handler "
                "modules, e.g. when the code is built later in the pipeline)."
            ),
        ),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help=(
                "Also show, for each function, the effective value of every field and where it comes from: "
                "the function, `defaults.functions`, an environment override, or archkit's default."
            ),
        ),
    ] = False,
) -> None:
    """Check a spec: types, unknown keys, references, CIDRs and AWS names, in every environment.

    Also reports what `generate` would refuse before synthesis (missing code directories or handler
    modules, unknown zones, DNS records without a target) unless --spec-only. Prints one line per problem
    (file:line:column: spec.path: message) and exits 2 if there is any.
    """
    from archkit.spec import SpecError, load_environments, load_spec

    path = resolve_spec_path(spec_arg or spec)
    try:
        specs = {env: load_spec(path, env)} if env else load_environments(path)
        if not spec_only:
            _check_buildable(path, list(specs))
    except SpecError as exc:
        if output_format is OutputFormat.json:
            issues = [dataclasses.asdict(issue) for issue in exc.issues]
            typer.echo(json.dumps({"valid": False, "spec": str(path), "issues": issues}, indent=2))
            raise typer.Exit(EXIT_USAGE) from None
        report_spec_error(exc)
    summaries = [_summary(resolved) for resolved in specs.values()]
    explained = _explain(path, list(specs)) if explain else {}
    if output_format is OutputFormat.json:
        body: dict[str, Any] = {"valid": True, "spec": str(path), "environments": summaries}
        if explain:
            body["explain"] = {
                name: [dataclasses.asdict(row) for row in rows] for name, rows in explained.items()
            }
        typer.echo(json.dumps(body, indent=2))
        return
    for name, rows in explained.items():
        _print_explained(name, rows)
    for summary in summaries:
        counts = summary["counts"]
        console.print(
            f"[green]✓[/] {path} is valid: project [bold]{summary['project']}[/], environment "
            f"[bold]{summary['environment']}[/], {count(summary['resources'], 'resource')} "
            f"({count(counts['functions'], 'function')}, {count(counts['tables'], 'table')}, "
            f"{count(counts['buckets'], 'bucket')}, {count(counts['api_methods'], 'API method')})",
            soft_wrap=True,
        )


def _check_buildable(path: Path, environments: list[str]) -> None:
    """What `generate` would refuse before synthesis (code directories, handler modules, zones, DNS
    targets), reported like any spec problem. The checks are archkit.cdk's own pure-Python preflight
    (aws_cdk is not loaded), so validate stays fast and the two commands never disagree."""
    from archkit.cdk.errors import CdkBuildErrors
    from archkit.cdk.preflight import check_buildable
    from archkit.spec import SpecError
    from archkit.spec.loader import issue_at, load_located, merge_environment_issues

    errors = {}
    for name in environments:
        loaded, source = load_located(path, name)
        try:
            check_buildable(loaded, path.parent)
        except CdkBuildErrors as exc:
            errors[name] = [issue_at(source, error.path, error.message) for error in exc.errors]
    if errors:
        raise SpecError(merge_environment_issues(errors, len(environments)))


def _explain(path: Path, environments: list[str]) -> dict[str, list[Any]]:
    from archkit.spec.explain import explain_functions
    from archkit.spec.loader import load_located

    return {name: explain_functions(*load_located(path, name)) for name in environments}


def _print_explained(environment: str, rows: list[Any]) -> None:
    from archkit.spec.explain import ORIGIN_WORDS

    width = max((len(row.field) for row in rows), default=0)
    current = None
    for row in rows:
        if row.function != current:
            current = row.function
            typer.echo(f"functions.{current} [environment {environment}]")
        value = json.dumps(row.value)
        where = f"  {row.where()}  {row.path}" if row.path else ""
        typer.echo(f"  {row.field:<{width}}  {value:<28}  {ORIGIN_WORDS[row.origin]}{where}")


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
