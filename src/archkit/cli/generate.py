"""`archkit generate`: the spec as deployable CDK v2 stacks (cloud assembly + cdk.json)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from archkit.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    EnvOption,
    SpecOption,
    console,
    err_console,
    load_or_exit,
    resolve_spec_path,
    user_errors,
)
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.cdk.synth import SynthResult
    from archkit.spec import ArchSpec

DEFAULT_OUT = Path("generated")


def generate(
    spec: SpecOption = None,
    env: EnvOption = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory: writes <out>/cdk.out/ and <out>/cdk.json.")
    ] = DEFAULT_OUT,
    force: Annotated[
        bool, typer.Option("--force", help="Synthesize even if the output is up to date.")
    ] = False,
    verifier: Annotated[
        bool,
        typer.Option(
            "--verifier",
            help="Write the continuous verifier instead (<out>/verifier/: tooling stack, member role).",
        ),
    ] = False,
    targets: Annotated[
        Path | None,
        typer.Option("--targets", help="Targets file for --verifier. Default: <spec name>.targets.yaml."),
    ] = None,
) -> None:
    """Write the CDK cloud assembly (templates, assets, manifest) and a cdk.json so `cdk synth` and
    `cdk deploy` run the same app. cdk-nag (AwsSolutions) runs during synthesis; findings the spec does
    not acknowledge in compliance.nag_suppressions fail the run (exit 1) and nothing is written."""
    spec_path = resolve_spec_path(spec)
    if verifier:
        from archkit.cli.org import generate_verifier

        generate_verifier(spec, targets, out)
        return
    result = synthesize_or_exit(load_or_exit(spec_path, env), spec_path, out, force=force)

    from rich.table import Table

    table = Table(title=None, show_edge=False, header_style="bold")
    table.add_column("stack")
    table.add_column("region")
    table.add_column("resources", justify="right")
    table.add_column("template")
    for stack in result.stacks:
        table.add_row(stack.name, stack.region, str(stack.resources), str(stack.template))
    console.print(table)
    verb = "up to date (spec, code and archkit unchanged; synthesis skipped)" if result.skipped else "written"
    console.print(
        f"[green]✓[/] {count(len(result.stacks), 'stack')}, "
        f"{count(result.resource_count, 'resource')} {verb}: "
        f"{result.cdk_out}/ and {result.cdk_json}"
    )
    if not result.skipped:
        console.print(f"[dim]deploy with:[/] cd {result.out_dir} && cdk deploy --all")


def synthesize_or_exit(loaded: ArchSpec, spec_path: Path, out: Path, force: bool = False) -> SynthResult:
    """Synthesize (or reuse the up-to-date output in ``out``); CDK and cdk-nag problems exit cleanly."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    from archkit.cdk.errors import CdkBuildErrors
    from archkit.cdk.synth import NagViolations, synthesize

    with user_errors():
        try:
            with console.status("generating CDK stacks", spinner="dots") as status:
                result = synthesize(
                    loaded, spec_path, out, force=force, progress=lambda msg: status.update(msg)
                )
        except CdkBuildErrors as exc:
            n = len(exc.errors)
            err_console.print(f"[bold red]error:[/] CDK cannot build {spec_path} ({count(n, 'problem')}):")
            for error in exc.errors:
                err_console.print(f"  {spec_path}: {error}", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None
        except NagViolations as exc:
            err_console.print(f"[bold red]error:[/] {exc}; nothing was written:")
            for violation in exc.violations:
                err_console.print(f"  {violation}", markup=False, soft_wrap=True)
            err_console.print(
                "[dim]hint:[/] fix the finding, or add {rule, resource, applies_to, reason} to "
                "compliance.nag_suppressions in the spec"
            )
            raise typer.Exit(EXIT_FINDINGS) from None

    return result
