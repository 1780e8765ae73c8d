"""`archkit init`: start a new project from nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import console, fail
from archkit.init import DEFAULT_REGION, InitError, scaffold


def init(
    project: Annotated[
        str,
        typer.Option(
            "--project",
            "-p",
            help="Project name: a-z, 0-9 and -, starting with a letter, at most 20 characters; "
            "it starts every physical name (e.g. NAME-prod-items).",
            show_default=False,
        ),
    ],
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder of the new project (created if missing)."),
    ] = Path("."),
    region: Annotated[str, typer.Option("--region", "-r", help="Primary AWS region.")] = DEFAULT_REGION,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist (else: refuse, exit 2).")
    ] = False,
) -> None:
    """Start a new project in DIR: a commented spec, handler code, .gitignore, README and CI workflow.

    archkit.yaml: one API route, one Lambda function (lambda/items.py), one table, one bucket.
    .github/workflows/archkit.yml: validate, verify --static (SARIF to code scanning), generate.
    Then, in DIR, without --spec: validate, verify --static, generate, diagram, docs.
    Never overwrites a file without --force; an existing README.md gets the section appended.
    """
    try:
        written = scaffold(directory, project, region, force=force)
    except InitError as exc:
        fail(str(exc))
    for item in written:
        console.print(f"  [green]{item.action}[/] {item.path.as_posix()}", markup=True, highlight=False)
    where = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory.as_posix()} && "
    console.print(f"[green]✓[/] project [bold]{project}[/] ({region}) ready; next:", soft_wrap=True)
    console.print(f"  {where}archkit validate && archkit verify --static && archkit generate", markup=False)
