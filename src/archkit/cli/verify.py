"""`archkit verify`: drift and compliance of a live account (or the spec alone with --static)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from archkit.cli.common import (
    EXIT_ACCOUNT,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    EnvOption,
    SpecOption,
    console,
    err_console,
    fail,
    load_or_exit,
    resolve_spec_path,
)
from archkit.verify.kinds.reading import DEFAULT_MAX_WORKERS

FORMATS = ("table", "json", "sarif", "junit", "asff")
SEVERITIES = ("critical", "high", "medium", "low", "info")


def _regions(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or []:
        out.extend(r.strip() for r in value.split(",") if r.strip())
    return tuple(dict.fromkeys(out))


def verify(
    spec: SpecOption = None,
    env: EnvOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="table, json, sarif, junit or asff (AWS Security Finding Format)."
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE (atomically) instead of stdout."),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="Exit 1 if a drift or compliance finding is at least this severe."),
    ] = "medium",
    static: Annotated[
        bool,
        typer.Option("--static", help="Evaluate the compliance rules on the spec alone; no AWS account."),
    ] = False,
    profile: Annotated[str | None, typer.Option("--profile", help="AWS profile.")] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Primary region (default: the spec's).")
    ] = None,
    regions: Annotated[
        list[str] | None,
        typer.Option(
            "--regions", help="Extra regions to read (global-table replicas), comma-separated or repeated."
        ),
    ] = None,
    role_arn: Annotated[
        str | None, typer.Option("--role-arn", help="Assume this role (another account).")
    ] = None,
    endpoint_url: Annotated[
        str | None,
        typer.Option("--endpoint-url", help="Point every AWS client at this endpoint (an emulator)."),
    ] = None,
    print_iam_policy: Annotated[
        bool,
        typer.Option("--print-iam-policy", help="Print the read-only IAM policy verify needs, and exit."),
    ] = False,
    max_workers: Annotated[
        int, typer.Option("--max-workers", min=1, max=64, help="Parallel API calls.")
    ] = DEFAULT_MAX_WORKERS,
    all_targets: Annotated[
        bool,
        typer.Option(
            "--all-targets",
            help="Verify every deployment of the targets file (one role assumed per account).",
        ),
    ] = False,
    targets: Annotated[
        Path | None,
        typer.Option("--targets", help="Targets file. Default: <spec name>.targets.yaml beside the spec."),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, max=64, help="Targets verified at once (default: the file's)."),
    ] = None,
    print_iam_role: Annotated[
        bool,
        typer.Option(
            "--print-iam-role",
            help="Print a CloudFormation template of the member-account role the verifier assumes, and exit.",
        ),
    ] = False,
    to_security_hub: Annotated[
        bool,
        typer.Option(
            "--to-security-hub",
            help="Import the findings into each account's Security Hub (stable ids; fixed ones resolved).",
        ),
    ] = False,
    calls_per_second: Annotated[
        float,
        typer.Option("--calls-per-second", min=0, help="Cap of API calls per second per service (0: none)."),
    ] = 20.0,
) -> None:
    """Compare the spec with a live AWS account: drift (missing, unmanaged, changed) and compliance rules.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or spec error,
    3 the account could not be (fully) read (the report is still written).
    """
    if print_iam_policy:
        from archkit.verify.iam_policy import policy_json

        sys.stdout.write(policy_json())
        raise typer.Exit(EXIT_OK)
    if print_iam_role:
        from archkit.cli.org import print_role

        print_role(spec, targets)
    if all_targets:
        from archkit.cli.org import Options, verify_all

        verify_all(
            Options(
                spec=spec,
                targets=targets,
                fmt=fmt,
                output=output,
                fail_on=fail_on,
                profile=profile,
                endpoint_url=endpoint_url,
                max_workers=max_workers,
                calls_per_second=calls_per_second,
                concurrency=concurrency,
                to_security_hub=to_security_hub,
            )
        )
    if fmt not in FORMATS:
        fail(f"unknown --format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")
    if fail_on not in SEVERITIES:
        fail(f"unknown --fail-on severity '{fail_on}'", hint=f"use one of: {', '.join(SEVERITIES)}")
    arch = load_or_exit(spec, env)
    spec_path = resolve_spec_path(spec)

    from archkit.verify.findings import Report
    from archkit.verify.report import render
    from archkit.verify.run import verify_static

    report: Report
    account: str | None = arch.account
    aws = None
    if static:
        if to_security_hub:
            fail("--to-security-hub needs an account: drop --static")
        report = verify_static(arch, spec_path.as_posix())
    else:
        report, account, aws = _account(
            arch,
            spec_path,
            profile=profile,
            region=region or arch.region,
            regions=_regions(regions),
            role_arn=role_arn,
            endpoint_url=endpoint_url,
            max_workers=max_workers,
            calls_per_second=calls_per_second,
            progress=fmt == "table" and output is None and err_console.is_terminal,
        )

    text = ""
    if fmt == "asff" or to_security_hub:
        from archkit.cli.org import single_asff

        text = single_asff(report, account, aws, fmt=fmt, to_security_hub=to_security_hub)
    if output is not None:
        from archkit.io import write_text_atomic

        write_text_atomic(output, text if fmt == "asff" else render(report, fmt, spec_path))  # type: ignore[arg-type]
        from archkit.verify.report.table import summary_line

        err_console.print(f"{summary_line(report)}; report written to {output}", markup=False)
    elif fmt == "table":
        from archkit.verify.report.table import print_table

        if report.checked or not report.account_unreadable():  # nothing read: the error line says it all
            print_table(report, console)
    else:
        sys.stdout.write(text if fmt == "asff" else render(report, fmt, spec_path))  # type: ignore[arg-type]

    if report.account_unreadable():
        raise typer.Exit(EXIT_ACCOUNT)
    if report.worst_at_or_above(fail_on):  # type: ignore[arg-type]
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_OK)


def _account(arch, spec_path: Path, *, progress: bool, **options):
    from archkit.verify.collect import AccountUnreachable
    from archkit.verify.collect.aws import Aws, AwsOptions
    from archkit.verify.run import verify_account

    aws = Aws(AwsOptions(**options))
    try:
        if not progress:
            run = verify_account(arch, spec_path.as_posix(), aws)
            return run.report, run.account, aws
        from rich.progress import Progress

        from archkit.verify.desired import desired_states

        total = len(desired_states(arch))
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("reading the account", total=total)
            run = verify_account(arch, spec_path.as_posix(), aws, progress=lambda _: bar.advance(task))
            return run.report, run.account, aws
    except AccountUnreachable as exc:
        return _unreadable(arch, spec_path, exc.reason, str(exc)), arch.account, None
    except Exception as exc:  # botocore configuration errors (unknown profile, bad role ARN...)
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, BotoCoreError | ClientError):
            return _unreadable(arch, spec_path, "ReadError", str(exc)), arch.account, None
        raise


def _unreadable(arch, spec_path: Path, reason: str, message: str):
    """Say why in one line, and still return a report (every resource not_checked): the contract says the
    report is written whenever the spec loaded, so CI always has a file to upload."""
    from archkit.verify.run import unreadable_report

    err_console.print(f"[bold red]error:[/] cannot read the AWS account: {message}", soft_wrap=True)
    return unreadable_report(arch, spec_path.as_posix(), reason, f"the account could not be read: {message}")


__all__ = ["EXIT_USAGE", "verify"]
