"""`archkit verify` for an organisation: `--all-targets`, `--print-iam-role`, `--format asff` and
`--to-security-hub` (the verify command hands over to these)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.markup import escape

from archkit.cli.common import EXIT_OK, EXIT_USAGE, err_console, fail, resolve_spec_path
from archkit.verify.findings import Report

JUNIT_HINT = "use table, json, sarif or asff with --all-targets"


@dataclass
class Options:
    spec: Path | None
    targets: Path | None
    fmt: str
    output: Path | None
    fail_on: str
    profile: str | None
    endpoint_url: str | None
    max_workers: int
    calls_per_second: float
    concurrency: int | None
    to_security_hub: bool


def _targets_error(exc: Exception) -> NoReturn:
    from archkit.verify.targets import TargetsError

    assert isinstance(exc, TargetsError)
    for issue in exc.issues:
        err_console.print(f"[bold red]error:[/] {escape(str(issue))}", soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)


def load(spec: Path | None, targets: Path | None) -> tuple[Path, dict[str, Any], Any]:
    """(spec path, environment -> spec, Targets), or one clear line per problem and exit 2."""
    from archkit.cli.common import report_spec_error
    from archkit.spec import SpecError, load_environments
    from archkit.verify.targets import TargetsError, default_targets_path, load_targets

    spec_path = resolve_spec_path(spec)
    try:
        environments = load_environments(spec_path)
    except SpecError as exc:
        report_spec_error(exc)
    try:
        return spec_path, environments, load_targets(targets or default_targets_path(spec_path), environments)
    except TargetsError as exc:
        _targets_error(exc)


def print_role(spec: Path | None, targets: Path | None) -> NoReturn:
    """The member role's template; role name and verifier account from the targets file when there is one."""
    from archkit.spec.loader import default_spec_missing
    from archkit.verify.iam_role import role_json
    from archkit.verify.targets import DEFAULT_ROLE_NAME, default_targets_path

    role_name, verifier = DEFAULT_ROLE_NAME, None
    path = targets
    if path is None and (spec is not None or not default_spec_missing()):
        beside = default_targets_path(resolve_spec_path(spec))
        path = beside if beside.exists() else None
    if path is not None:
        _, _, found = load(spec, path)
        role_name, verifier = found.settings.role_name, found.settings.verifier_account
    sys.stdout.write(role_json(role_name, verifier))
    raise typer.Exit(EXIT_OK)


def verify_all(opts: Options) -> NoReturn:
    from archkit.verify.org import aws_for, verify_targets
    from archkit.verify.report.combined import COMBINED_FORMATS, render_combined

    if opts.fmt not in COMBINED_FORMATS:
        fail(f"--format {opts.fmt} is not available with --all-targets", hint=JUNIT_HINT)
    spec_path, environments, found = load(opts.spec, opts.targets)

    def aws(target: Any) -> Any:
        return aws_for(
            target,
            profile=opts.profile,
            endpoint_url=opts.endpoint_url,
            max_workers=opts.max_workers,
            calls_per_second=opts.calls_per_second,
        )

    sessions: dict[str, Any] = {}

    def keep(target: Any) -> Any:
        sessions[target.key] = aws(target)
        return sessions[target.key]

    def done(run: Any) -> None:
        if run.error:
            err_console.print(
                f"[bold red]error:[/] {escape(f'{run.target.key}: {run.error}')}", soft_wrap=True
            )

    org = verify_targets(
        environments,
        spec_path.as_posix(),
        found.targets,
        fail_on=opts.fail_on,  # type: ignore[arg-type]
        concurrency=opts.concurrency or found.settings.concurrency,
        aws=keep,
        done=done,
    )
    if opts.to_security_hub:
        for run in org.runs:
            if not run.error:
                _import(sessions[run.target.key], run.target.deployment(), run.report)
    text = render_combined(org, opts.fmt, spec_path)
    if opts.output is not None:
        from archkit.io import write_text_atomic

        write_text_atomic(opts.output, text)
        err_console.print(f"{len(org.runs)} targets verified; report written to {opts.output}", markup=False)
    else:
        sys.stdout.write(text)
    raise typer.Exit(org.exit_code)


def _import(aws: Any, deployment: dict[str, str], report: Report) -> None:
    from archkit.verify.kinds.reading import classify
    from archkit.verify.securityhub import client_for, import_report

    key = "/".join(deployment.values())
    try:
        result = import_report(client_for(aws, deployment["region"]), deployment, report)
    except Exception as exc:  # the findings are still in the report; say why Security Hub has not got them
        _, message = classify(exc)
        err_console.print(
            f"[bold red]error:[/] {escape(f'{key}: Security Hub import failed: {message}')}", soft_wrap=True
        )
        return
    err_console.print(
        f"{key}: Security Hub: {len(result.created)} new, {len(result.updated)} updated, "
        f"{len(result.resolved)} resolved, {len(result.failed)} failed",
        markup=False,
    )


def single_asff(report: Report, account: str | None, aws: Any, *, fmt: str, to_security_hub: bool) -> str:
    """One account's ASFF (and its import): the deployment is the spec's environment, the account the
    credentials answered as (or the spec's `account`), the spec's region."""
    from archkit.verify.report.asff import render_asff

    if account is None:
        fail(
            "ASFF needs the account id: verify a live account, or set `account` in the spec",
            hint="--format asff names the account of every finding",
        )
    deployment = {"environment": report.environment, "account": account, "region": report.region}
    if to_security_hub and aws is not None:
        _import(aws, deployment, report)
    return render_asff([(deployment, report)]) if fmt == "asff" else ""


VERIFIER_DIR = "verifier"


def generate_verifier(spec: Path | None, targets: Path | None, out: Path) -> None:
    """`archkit generate --verifier`: the verifier's cloud assembly and the member role's template."""
    import os

    from archkit.cli.common import console

    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    spec_path, environments, found = load(spec, targets)
    project = next(iter(environments.values())).project
    from archkit.verifier.stack import synthesize_verifier

    with console.status("synthesizing the verifier and running cdk-nag (AwsSolutions)", spinner="dots"):
        result = synthesize_verifier(spec_path, project, found, out / VERIFIER_DIR)
    console.print(
        f"[green]✓[/] {', '.join(result.stacks)} written: {result.cdk_out}/ "
        f"({len(found.targets)} targets) and {result.member_template}"
    )
    console.print(
        f"[dim]deploy with:[/] cd {result.out_dir} && cdk deploy --app cdk.out {result.stacks[0]}; "
        "the member role in each target account (or as a StackSet): member-role.template.json"
    )
