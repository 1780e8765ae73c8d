"""One verify run: desired states, the account read once, drift and compliance, one report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from archkit.spec import ArchSpec
from archkit.verify.desired import desired_states, unsupported_resources
from archkit.verify.drift import drift, not_checked, unmanaged
from archkit.verify.findings import Finding, Report
from archkit.verify.state import ResourceState


def compliance(
    states: Sequence[ResourceState],
    spec: ArchSpec,
    mode: Literal["desired", "observed"],
    unreadable: set[str],
) -> tuple[list[Finding], list[tuple[str, str]]]:
    """Compliance findings (failed outcomes) and the (resource, rule id) checks that passed."""
    from archkit.verify.rules.engine import evaluate_results, to_finding

    results = evaluate_results(states, spec, mode=mode, unreadable=unreadable)
    failed = [to_finding(r) for r in results if r.status == "fail"]
    passed = [(r.resource, r.rule_id) for r in results if r.status == "pass"]
    return failed, passed


def _unsupported(spec: ArchSpec) -> list[Finding]:
    return [
        not_checked(r.path, r.type, r.name, "unsupported", f"archkit verify has no reader for {r.type}")
        for r in unsupported_resources(spec)
    ]


def verify_static(spec: ArchSpec, spec_file: str) -> Report:
    """`--static`: the compliance rules on the spec's desired states; no account."""
    desired = desired_states(spec)
    findings, passed = compliance(desired, spec, "desired", set())
    return Report.build(
        spec=spec_file,
        project=spec.project,
        environment=spec.environment,
        region=spec.region,
        mode="static",
        findings=findings,
        checked=[(s.path, s.resource_type) for s in desired],
        passed_checks=passed,
    )


@dataclass
class AccountRun:
    report: Report
    observed: list[ResourceState]
    calls: dict[str, int]


def verify_account(
    spec: ArchSpec,
    spec_file: str,
    aws: Any,
    progress: Callable[[str], None] | None = None,
) -> AccountRun:
    """Read the account (raises `AccountUnreachable` if nothing can be read) and build the report."""
    from archkit.verify.collect import UNMANAGED_CHECK, collect, named_for_caller

    # Names with {account} resolve to the account being read (the caller's), as they did at deploy time.
    spec = named_for_caller(spec, aws)
    desired = desired_states(spec)
    got = collect(spec, aws, desired, progress=progress)
    unchecked = {n.path: (n.reason, n.message) for n in got.not_checked if n.attribute is None}
    observed = got.states
    findings = drift(spec, desired, observed, unchecked)
    findings += _unsupported(spec)
    if UNMANAGED_CHECK in unchecked:
        reason, message = unchecked[UNMANAGED_CHECK]
        findings.append(
            not_checked(UNMANAGED_CHECK, "*", None, reason, f"unmanaged resources not searched: {message}")
        )
    findings += [
        f
        for f in (unmanaged(spec, c.resource_type, c.physical_id, c.tags) for c in got.unmanaged)
        if not _ignored(spec, f)
    ]
    failed, passed = compliance(observed, spec, "observed", set(unchecked))
    findings += failed
    report = Report.build(
        spec=spec_file,
        project=spec.project,
        environment=spec.environment,
        region=spec.region,
        mode="observed",
        findings=findings,
        checked=[(s.path, s.resource_type) for s in desired if s.path not in unchecked],
        passed_checks=passed,
    )
    return AccountRun(report=report, observed=observed, calls=got.calls)


def unreadable_report(spec: ArchSpec, spec_file: str, reason: str, message: str) -> Report:
    """The report of an account that could not be read at all: every resource `not_checked` with ``reason``
    (one of ACCOUNT_ERROR_REASONS, so the exit code is 3), and no resource counted as checked."""
    findings = [
        not_checked(s.path, s.resource_type, s.physical_id, reason, message) for s in desired_states(spec)
    ]
    return Report.build(
        spec=spec_file,
        project=spec.project,
        environment=spec.environment,
        region=spec.region,
        mode="observed",
        findings=findings + _unsupported(spec),
        checked=[],
        passed_checks=[],
    )


def _ignored(spec: ArchSpec, finding: Finding) -> bool:
    from archkit.verify.drift import ignored

    return ignored(spec, finding.resource, None)
