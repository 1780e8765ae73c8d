"""`archkit validate` and `archkit schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import EnvOption, SpecOption, console, load_or_exit, resolve_spec_path


def validate(
    spec_arg: Annotated[
        Path | None, typer.Argument(metavar="[SPEC]", help="Spec file; same as --spec.", show_default=False)
    ] = None,
    spec: SpecOption = None,
    env: EnvOption = None,
    all_envs: Annotated[bool, typer.Option("--all-envs", help="Validate every environment the spec declares.")] = False,
) -> None:
    """Check a spec: types, unknown keys, references, CIDRs and names. Exit 2 with file:line errors if invalid."""
    path = resolve_spec_path(spec_arg or spec)
    loaded = load_or_exit(path, env)
    envs = sorted(loaded.environments) if all_envs and loaded.environments else [loaded.environment]
    for name in envs:
        resolved = loaded if name == loaded.environment else load_or_exit(path, name)
        kinds: dict[str, int] = {}
        for res in resolved.resources():
            kinds[res.type] = kinds.get(res.type, 0) + 1
        console.print(
            f"[green]✓[/] {path} is valid: project [bold]{resolved.project}[/], environment "
            f"[bold]{resolved.environment}[/], {len(resolved.resources())} resources "
            f"({len(resolved.functions)} functions, {len(resolved.tables)} tables, {len(resolved.buckets)} buckets, "
            f"{len(resolved.api.methods())} API methods)"
        )


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema here instead of stdout.", show_default=False)
    ] = None,
) -> None:
    """Print the JSON Schema of the spec (point your editor's YAML plugin at it for completion)."""
    from archkit.io import write_text_atomic
    from archkit.spec import ArchSpec

    text = json.dumps(ArchSpec.model_json_schema(), indent=2, sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
        console.print(f"[green]✓[/] wrote {output}")
