"""`archkit diff`: what a spec change does, for the pull request that makes it."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    EnvOption,
    SpecOption,
    console,
    err_console,
    fail,
    resolve_spec_path,
)


class DiffFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class FailOn(StrEnum):
    none = "none"
    destructive = "destructive"
    security = "security"
    availability = "availability"
    cost = "cost"
    any = "any"


DEFAULT_BASE = "HEAD"


def diff(
    base: Annotated[
        str,
        typer.Argument(
            help="BASE: a spec file, a git revision of the spec (`main`, `origin/main`) or `rev:path`.",
        ),
    ] = DEFAULT_BASE,
    head: Annotated[
        str | None,
        typer.Argument(
            help="HEAD: a spec file or git revision. Default: the working spec (--spec).", show_default=False
        ),
    ] = None,
    spec: SpecOption = None,
    env: EnvOption = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Report format.")] = DiffFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to a file instead of stdout.")
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a consequence of this class or a more serious one makes things worse "
            "(destructive > security > availability > cost); `any`: on any change.",
        ),
    ] = FailOn.none,
    diagram: Annotated[
        Path | None,
        typer.Option(
            "--diagram", help="Draw the affected views of HEAD with the change marked into this directory."
        ),
    ] = None,
    synth: Annotated[
        bool,
        typer.Option(
            "--synth",
            help="Synthesize both sides and compare the templates property by property (slow: loads CDK). "
            "Default: replacements follow from the spec change, which template property carries each "
            "attribute, and CloudFormation's create-only properties.",
        ),
    ] = False,
) -> None:
    """Compare two versions of a spec: resources added, removed, renamed or changed, and what the change
    does — destructive (a stateful resource replaced or deleted: the template property that carries the
    changed attribute is create-only in CloudFormation), security (rules newly failing, IAM grants, public
    exposure, suppressions), availability and cost. `archkit diff main` compares the working spec with
    the spec at `main`. Exit 0, or 1 when --fail-on is met, 2 when a side cannot be loaded."""
    if synth:
        os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
        os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    from archkit.diagram.errors import DiagramError
    from archkit.diff import SideError, diff_sides, load_side
    from archkit.diff.render import markdown, print_table
    from archkit.io import write_text_atomic

    spec_path = resolve_spec_path(spec)
    sides = []
    try:
        base_side = load_side("BASE", base, spec_path, env)
        sides.append(base_side)
        head_side = load_side("HEAD", head if head is not None else str(spec_path), spec_path, env)
        sides.append(head_side)
        with err_console.status("comparing", spinner="dots") as status:
            report = diff_sides(base_side, head_side, synth=synth, progress=status.update)
            if diagram is not None:
                from archkit.diff.diagram import write_change_diagrams

                status.update("drawing the change")
                report.diagrams = write_change_diagrams(base_side.spec, head_side.spec, report, diagram)
    except SideError as exc:
        _report_side_error(exc)
    except DiagramError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]; no partial output was kept")
        raise typer.Exit(130) from None
    finally:
        for side in sides:
            side.close()

    if fmt is DiffFormat.table and output is None:
        print_table(report, console)
    else:
        if fmt is DiffFormat.json:
            text = json.dumps(report.to_json(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
        elif fmt is DiffFormat.markdown:
            text = markdown(report)
        else:
            from io import StringIO

            from rich.console import Console

            buffer = StringIO()
            print_table(report, Console(file=buffer, width=120, no_color=True, highlight=False))
            text = buffer.getvalue()
        if output is not None:
            write_text_atomic(output, text)
            err_console.print(f"[green]✓[/] wrote {output}")
        else:
            typer.echo(text, nl=False)
    raise typer.Exit(EXIT_FINDINGS if report.fails(fail_on.value) else EXIT_OK)


def _report_side_error(exc: object) -> None:
    from archkit.diff import SideError

    assert isinstance(exc, SideError)
    if exc.issues:
        n = len(exc.issues)
        err_console.print(
            f"[bold red]error:[/] {exc.role} ({exc.label}) has {n} problem{'s' if n != 1 else ''}:",
            soft_wrap=True,
        )
        for issue in exc.issues:
            err_console.print(f"  {issue}", soft_wrap=True, markup=False)
    else:
        from rich.markup import escape

        err_console.print(f"[bold red]error:[/] {escape(exc.message)}", soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)
