"""`archkit emulate`: the synthesized templates deployed into a local moto server, for trying verify without
an AWS account; or, with --change, one change made behind the spec's back in a running emulator."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from archkit.cli.common import (
    EXIT_OK,
    EnvOption,
    SpecOption,
    console,
    err_console,
    fail,
    load_or_exit,
    require_extra,
    resolve_spec_path,
)
from archkit.cli.generate import DEFAULT_OUT, synthesize_or_exit

LIST = "list"


def emulate(
    spec: SpecOption = None,
    env: EnvOption = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where `archkit generate` writes (and caches) the templates.")
    ] = DEFAULT_OUT,
    cdk_out: Annotated[
        Path | None,
        typer.Option("--cdk-out", help="Deploy this cloud assembly instead of generating one from the spec."),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", help="Port of the emulator on 127.0.0.1 (0: a free one).")
    ] = 5000,
    change: Annotated[
        str | None,
        typer.Option(
            "--change",
            help="Make this change behind the spec's back in the running emulator (--endpoint-url) and exit; "
            "`--change list` lists them.",
        ),
    ] = None,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="The running emulator (with --change).")
    ] = None,
) -> None:
    """Deploy what `archkit generate` synthesized into a local moto server on 127.0.0.1 (every stack into
    its region) and serve it until interrupted. Changes for --change: pitr-off, tag-removed, memory,
    log-retention, public-access-block, versioning-suspended, rotation-off, kms-rotation-off, ssh-opened,
    rds-public, table-deletion-protection-off, function-public, queue-public, secret-public,
    bucket-public-read, queue-visibility, queue-redrive-removed, topic-unencrypted, topic-subscriber-added,
    schedule-disabled, trigger-batch-size, async-retries, notifications-removed, waf-rule-counts,
    waf-rate-raised, base-path-removed (`--change list` describes them)."""
    require_extra("moto", "emulate", "emulate")
    from archkit.emulate.changes import CHANGES

    if change == LIST:
        for c in CHANGES.values():
            console.print(f"{c.name:22} {c.description}", markup=False, soft_wrap=True)  # one line each
        raise typer.Exit(EXIT_OK)
    spec_path = resolve_spec_path(spec)
    arch = load_or_exit(spec_path, env)
    if change is not None:
        _change(arch, change, endpoint_url)
    if cdk_out is None:
        cdk_out = synthesize_or_exit(arch, spec_path, out).cdk_out
    elif not (cdk_out / "manifest.json").is_file():
        fail(f"{cdk_out} is not a cloud assembly (no manifest.json)", hint="run `archkit generate` first")
    _serve(cdk_out, port)


def _change(arch: Any, name: str, endpoint_url: str | None) -> None:
    from archkit.emulate.account import Account
    from archkit.emulate.changes import CHANGES, ChangeNotApplicable

    names = ", ".join(CHANGES)
    if name not in CHANGES:
        fail(f"unknown change '{name}'", hint=f"use one of: {names} (or `--change list`)")
    if not endpoint_url:
        fail(
            "--change needs --endpoint-url of the running emulator",
            hint="e.g. --endpoint-url http://127.0.0.1:5000",
        )
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        CHANGES[name].apply(Account(endpoint_url, arch.region), arch)
    except ChangeNotApplicable as exc:
        fail(f"change '{name}' does not apply: {exc}", hint=f"use one of: {names}")
    except (BotoCoreError, ClientError) as exc:
        fail(
            f"cannot make change '{name}' at {endpoint_url}: {exc}",
            hint="is `archkit emulate` running there?",
        )
    err_console.print(f"applied change '{name}' to {endpoint_url}: {CHANGES[name].description}", markup=False)
    raise typer.Exit(EXIT_OK)


def _serve(cdk_out: Path, port: int) -> None:
    from archkit.emulate.assembly import Assembly
    from archkit.emulate.deploy import Executor
    from archkit.emulate.registry import DeployError
    from archkit.emulate.server import start_server

    try:
        assembly = Assembly.read(cdk_out)
    except DeployError as exc:
        fail(f"cannot deploy {cdk_out}: {exc}")
    try:
        server, url = start_server(port or None)
    except OSError as exc:
        fail(
            f"cannot start the emulator on 127.0.0.1:{port}: {exc}",
            hint="pick another --port (0: any free one)",
        )
    # SIGTERM (a script's `kill`) ends the command like Ctrl-C: the server thread stops with it.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        executor = Executor(url)
        total = len(assembly.stacks)
        with err_console.status("deploying", spinner="dots") as status:
            done = iter(range(1, total + 1))

            def progress(stack: Any) -> None:
                n = next(done)
                message = f"deploying {stack.name} ({stack.region}), stack {n}/{total}"
                status.update(message)
                if not err_console.is_terminal:
                    err_console.print(message, markup=False)

            try:
                executor.deploy(assembly, progress)
            except DeployError as exc:
                fail(f"cannot deploy {cdk_out}: {exc}")
        _summary(assembly, executor)
        console.print(f"emulator ready: {url}", markup=False, soft_wrap=True)
        err_console.print(
            "  try: AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "
            f"archkit verify --endpoint-url {url}",
            markup=False,
            soft_wrap=True,
        )
        threading.Event().wait()
    except KeyboardInterrupt:
        err_console.print("emulator stopped")
    finally:
        server.stop()
    raise typer.Exit(EXIT_OK)


def _interrupt(*_: Any) -> None:
    raise KeyboardInterrupt


def _summary(assembly: Any, executor: Any) -> None:
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for column in ("stack", "region", "created", "skipped"):
        table.add_column(column, justify="right" if column in ("created", "skipped") else "left")
    for stack in assembly.stacks:
        deployed = [r for r in executor.resources.values() if r.stack == stack.name]
        skipped = sum(1 for r in deployed if r.skipped)
        table.add_row(stack.name, stack.region, str(len(deployed) - skipped), str(skipped))
    err_console.print(table)
    created = sum(1 for r in executor.resources.values() if not r.skipped)
    err_console.print(
        f"{len(assembly.stacks)} stacks, {created} resources deployed; {len(executor.gaps)} properties moto "
        "cannot hold as written (served at /_archkit/capabilities)",
        markup=False,
    )
