"""Verify every deployment of a spec (`archkit verify --all-targets`): one role assumed per account, a bounded
number of targets at once, one report per target kept even when another target cannot be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from archkit.spec import ArchSpec
from archkit.verify.findings import Report, Severity
from archkit.verify.targets import Target, placed

EXIT_OK, EXIT_FINDINGS, EXIT_ACCOUNT = 0, 1, 3


@dataclass
class TargetRun:
    """One target's outcome: its report (always, every resource not_checked when unreadable) and exit code."""

    target: Target
    report: Report
    exit_code: int
    error: str | None = None
    seconds: float = 0.0
    calls: dict[str, int] = field(default_factory=dict)


@dataclass
class OrgRun:
    spec: str
    project: str
    fail_on: Severity
    runs: list[TargetRun]

    @property
    def exit_code(self) -> int:
        """3 when any target could not be (fully) read, else 1 when any has findings, else 0."""
        codes = {r.exit_code for r in self.runs}
        for code in (EXIT_ACCOUNT, EXIT_FINDINGS):
            if code in codes:
                return code
        return EXIT_OK


def exit_code(report: Report, fail_on: Severity) -> int:
    """The exit code of one report, as `archkit verify` decides it for one account."""
    if report.account_unreadable():
        return EXIT_ACCOUNT
    return EXIT_FINDINGS if report.worst_at_or_above(fail_on) else EXIT_OK


def aws_for(target: Target, **options: Any) -> Any:
    """verify's AWS access for one target: the target's role assumed from the caller's credentials."""
    from archkit.verify.collect.aws import Aws, AwsOptions

    hooks = options.pop("hooks", [])
    return Aws(AwsOptions(region=target.region, role_arn=target.role_arn, **options), hooks=hooks)


def verify_target(spec: ArchSpec, spec_file: str, target: Target, fail_on: Severity, aws: Any) -> TargetRun:
    """Verify one target; an account that cannot be reached gives a report of `not_checked` findings."""
    from archkit.verify.collect import AccountUnreachable
    from archkit.verify.kinds.reading import classify
    from archkit.verify.run import verify_account

    started = time.monotonic()
    placed_spec = placed(spec, target.region)
    assert not isinstance(placed_spec, str), placed_spec  # load_targets refused it
    try:
        account = aws.caller_account()  # assumes the role: AccessDenied here means no role or no trust
        if account != target.account:
            raise AccountUnreachable(
                "AccessDenied", f"role {target.role_arn} answered as account {account}, not {target.account}"
            )
        run = verify_account(placed_spec, spec_file, aws)
        report, error, calls = run.report, None, run.calls
    except AccountUnreachable as exc:
        report, error, calls = _unreadable(placed_spec, spec_file, target, exc.reason, str(exc)), str(exc), {}
    except Exception as exc:  # botocore errors of this target only (bad endpoint, throttled STS...)
        reason, message = classify(exc)
        report, error, calls = _unreadable(placed_spec, spec_file, target, reason, message), message, {}
    return TargetRun(
        target=target,
        report=report,
        exit_code=exit_code(report, fail_on),
        error=error,
        seconds=time.monotonic() - started,
        calls=calls,
    )


def _unreadable(spec: ArchSpec, spec_file: str, target: Target, reason: str, message: str) -> Report:
    from archkit.verify.run import unreadable_report

    return unreadable_report(spec, spec_file, reason, f"{target.key} could not be read: {message}")


def verify_targets(
    specs: dict[str, ArchSpec],
    spec_file: str,
    targets: Sequence[Target],
    *,
    fail_on: Severity = "medium",
    concurrency: int = 4,
    aws: Callable[[Target], Any],
    done: Callable[[TargetRun], None] | None = None,
) -> OrgRun:
    """Verify each target (``specs``: environment -> spec) with at most ``concurrency`` at once; ``aws`` makes
    the AWS access of one target (usually `aws_for`). Runs come back in the order of ``targets``."""
    project = next(iter(specs.values())).project

    def one(target: Target) -> TargetRun:
        run = verify_target(specs[target.environment], spec_file, target, fail_on, aws(target))
        if done is not None:
            done(run)
        return run

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="archkit-target") as pool:
        runs = list(pool.map(one, targets))
    return OrgRun(spec=spec_file, project=project, fail_on=fail_on, runs=runs)
