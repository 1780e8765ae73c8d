"""Options and error handling shared by every command."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from archkit.spec import ArchSpec, SpecError, default_spec_path, load_spec
from archkit.spec.loader import NO_SPEC_FOUND, NO_SPEC_HINT, SPEC_SEARCH, default_spec_missing
from archkit.wording import count

# Exit codes (docs/design.md): 0 clean, 1 findings, 2 usage or spec error, 3 account not (fully) readable.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_ACCOUNT = 0, 1, 2, 3

# Logs (CI, pipes) get 120 columns rather than rich's 80, so tables stay readable; $COLUMNS still wins.
_LOG_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
console = Console(stderr=False, highlight=False, width=_LOG_WIDTH)
err_console = Console(stderr=True, highlight=False, width=_LOG_WIDTH)

SpecOption = Annotated[
    Path | None,
    typer.Option(
        "--spec",
        "-s",
        help=f"Spec file (YAML or JSON). Default: {SPEC_SEARCH}.",
        show_default=False,
    ),
]
EnvOption = Annotated[
    str | None,
    typer.Option(
        "--env", "-e", help="Environment to resolve (default: the spec's `environment`).", show_default=False
    ),
]


def fail(message: str, code: int = EXIT_USAGE, hint: str | None = None) -> NoReturn:
    """Print one clear error line (and an optional hint) and exit; never a traceback for user mistakes."""
    # Messages are plain text (they quote paths, values, `pip install "archkit[emulate]"`), never markup.
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    if hint:
        err_console.print(f"[dim]hint:[/] {escape(hint)}", soft_wrap=True)
    raise typer.Exit(code)


def report_spec_error(exc: SpecError) -> NoReturn:
    problems = count(len(exc.issues), "problem")
    err_console.print(f"[bold red]error:[/] the spec has {problems}:", soft_wrap=True)
    for issue in exc.issues:
        err_console.print(f"  {issue}", soft_wrap=True, markup=False)
    raise typer.Exit(EXIT_USAGE)


def resolve_spec_path(spec: Path | None) -> Path:
    """The spec named, else the default one (see SPEC_SEARCH); exit 2 saying what to do when there is none."""
    if spec is not None:
        return spec
    if default_spec_missing():
        fail(NO_SPEC_FOUND, hint=NO_SPEC_HINT)
    return default_spec_path()


def load_or_exit(spec: Path | None, env: str | None = None) -> ArchSpec:
    """Load the spec or print every problem (file:line:col: path: message) and exit 2."""
    try:
        return load_spec(resolve_spec_path(spec), env)
    except SpecError as exc:
        report_spec_error(exc)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn expected failures (spec errors, missing tools, interrupted runs) into clean exits."""
    try:
        yield
    except SpecError as exc:
        report_spec_error(exc)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]; no partial output was kept")
        raise typer.Exit(130) from None


def require_extra(module: str, extra: str, command: str) -> None:
    """Exit 2 with one line naming the extra to install when an optional dependency is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:  # fail() prints the message as plain text
        fail(f'`archkit {command}` needs the {extra} extra: pip install "archkit[{extra}]"')
