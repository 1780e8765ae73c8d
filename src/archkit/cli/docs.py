"""`archkit docs`: generate the architecture pages of a spec and the reference pages of the site."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import (
    EXIT_FINDINGS,
    EnvOption,
    SpecOption,
    console,
    err_console,
    fail,
    load_or_exit,
    resolve_spec_path,
    user_errors,
)
from archkit.wording import count


def _display_path(path: Path) -> str:
    """The spec as pages name it: relative to the working directory when inside it (same in every clone)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _relative_link(from_dir: Path, target: Path) -> str:
    return Path(os.path.relpath(target.resolve(), from_dir.resolve())).as_posix()


def docs(
    spec: SpecOption = None,
    env: EnvOption = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Directory of the generated architecture pages (replaced whole)."),
    ] = Path("docs/architecture"),
    reference_out: Annotated[
        Path,
        typer.Option(
            "--reference-out", help="Directory of the generated CLI, spec and rule reference pages."
        ),
    ] = Path("docs/reference"),
    no_reference: Annotated[
        bool,
        typer.Option("--no-reference", help="Only the architecture pages; leave the reference pages alone."),
    ] = False,
    no_diagrams: Annotated[
        bool, typer.Option("--no-diagrams", help="Leave the diagrams out (no graphviz needed).")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if the pages on disk differ from a fresh generation."
        ),
    ] = False,
) -> None:
    """Generate the docs pages of a spec: overview and inventory, one page per view, reference pages.

    Then build the site with `mkdocs build --strict` (or preview it with `mkdocs serve`).
    """
    from archkit.cli import app
    from archkit.docs import build_docs
    from archkit.docs.diagrams import DiagramsUnavailable
    from archkit.docs.writer import (
        NotGeneratedError,
        check_replaceable,
        compare,
        write_files,
        write_generated_dir,
    )

    path = resolve_spec_path(spec)
    loaded = load_or_exit(path, env)
    with user_errors():
        try:
            if not check:
                check_replaceable(out)
            build = build_docs(
                loaded,
                source=_display_path(path),
                diagrams=not no_diagrams,
                reference=not no_reference,
                rules_link=_relative_link(out, reference_out / "rules.md"),
                cli_app=app,
            )
        except DiagramsUnavailable as exc:
            fail(str(exc), hint="install graphviz (`dot`) or pass --no-diagrams")
        except NotGeneratedError as exc:
            fail(f"refusing to replace {out}: {exc}", hint="choose an empty or new directory with --out")

        if check:
            differences = [f"{out.as_posix()}/{d}" for d in compare(out, build.architecture, whole_dir=True)]
            differences += [
                f"{reference_out.as_posix()}/{d}"
                for d in compare(reference_out, build.reference, whole_dir=False)
            ]
            if differences:
                stale = count(len(differences), "generated file")
                verb = "differs" if len(differences) == 1 else "differ"
                err_console.print(f"[bold red]out of date:[/] {stale} {verb}")
                for line in differences:
                    err_console.print(f"  {line}", markup=False)
                err_console.print(
                    "[dim]hint:[/] run `archkit docs` (same --spec/--env/--out) and commit the result"
                )
                raise typer.Exit(EXIT_FINDINGS)
            console.print(f"[green]✓[/] {out} and {reference_out} are up to date")
            return

        write_generated_dir(out, build.architecture)
        pages = sum(1 for name in build.architecture if name.endswith(".md"))
        svgs = len(build.architecture) - pages
        console.print(f"[green]✓[/] wrote {count(pages, 'page')} and {count(svgs, 'diagram')} to {out}")
        if build.reference:
            changed = write_files(reference_out, build.reference)
            console.print(
                f"[green]✓[/] wrote {count(len(build.reference), 'reference page')} to {reference_out} "
                f"({len(changed)} changed)"
            )
