"""The `archkit` command line (Typer). Each command lives in its own module and imports heavy
libraries (aws_cdk, diagrams, boto3) only when it runs, so `archkit validate` stays fast."""

from __future__ import annotations

from typing import Annotated, TextIO

import typer

from archkit import __version__
from archkit.cli import diagram, spec_commands
from archkit.cli import diff as diff_command
from archkit.cli import docs as docs_command
from archkit.cli import emulate as emulate_command
from archkit.cli import generate as generate_command
from archkit.cli import init as init_command
from archkit.cli import rules as rules_command
from archkit.cli import verify as verify_command
from archkit.spec.loader import SPEC_SEARCH

app = typer.Typer(
    name="archkit",
    help=(
        f"Architecture as code for AWS. One spec ({SPEC_SEARCH}) drives CDK stacks, diagrams, docs and "
        "verification of a live account. New here? `archkit init --project NAME` starts a project."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"archkit {__version__}")
        raise typer.Exit()


def _show_spec_warnings() -> None:
    """A deprecated spec form reads as one `warning:` line on stderr (file:line:col and what to write
    instead), not as Python's warning with the loader's source line."""
    import warnings

    from archkit.spec.errors import SpecDeprecationWarning

    default = warnings.showwarning

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, SpecDeprecationWarning):
            typer.echo(f"warning: {message}", err=True)
        else:
            default(message, category, filename, lineno, file, line)

    warnings.showwarning = show


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Architecture as code for AWS."""
    _show_spec_warnings()


app.command("init")(init_command.init)
app.command("validate")(spec_commands.validate)
app.command("schema")(spec_commands.schema)
app.command("generate")(generate_command.generate)
app.command("diagram")(diagram.diagram)
app.command("rules")(rules_command.rules)
app.command("docs")(docs_command.docs)
app.command("diff")(diff_command.diff)
app.command("verify")(verify_command.verify)
app.command("emulate")(emulate_command.emulate)


def main() -> None:
    app()
