"""Read the account once: every kind's collector in parallel (bounded), one state per found resource.

A kind that cannot be read (AccessDenied, unsupported, endpoint errors) marks its resources
`not_checked`; the rest of the account is still read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from archkit.spec import ArchSpec
from archkit.spec.naming import ID_TAG, names_use_account
from archkit.verify import capabilities
from archkit.verify.collect import tagging
from archkit.verify.collect.aws import Aws
from archkit.verify.kinds import all_kinds
from archkit.verify.kinds.reading import Candidate, Context, NotChecked, classify
from archkit.verify.resolve import resolve_references
from archkit.verify.state import ResourceState

UNMANAGED_CHECK = "(unmanaged resources)"


class AccountUnreachable(Exception):
    """Nothing can be read: no credentials, or the endpoint does not answer."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Collected:
    states: list[ResourceState]
    not_checked: list[NotChecked]
    unmanaged: list[Candidate]
    account: str
    calls: dict[str, int] = field(default_factory=dict)


def _unmanaged(spec: ArchSpec, ctx: Context, desired: Sequence[ResourceState]) -> list[Candidate]:
    known: set[str] = {s.physical_id for s in desired}
    for s in ctx.states:
        known.update(i for i in (s.physical_id, s.arn, *s.ids) if i)
    seen: set[str] = set()
    out: list[Candidate] = []
    for c in ctx.candidates:
        pid = c.physical_id
        if c.tags.get("Project") != spec.project or c.tags.get("Environment") != spec.environment:
            continue
        if pid in seen or {pid, pid.rsplit("/", 1)[-1], pid.rsplit(":", 1)[-1]} & known:
            continue
        if "aws:cloudformation:stack-name" in c.tags and ID_TAG not in c.tags:
            continue  # a helper the deployment tool created (custom resource function, log bucket...)
        seen.add(pid)
        out.append(c)
    return sorted(out, key=lambda c: (c.resource_type, c.physical_id))


def _caller_account(aws: Aws) -> str:
    try:
        return aws.caller_account()
    except Exception as exc:
        reason, message = classify(exc)
        raise AccountUnreachable(reason, message) from exc


def named_for_caller(spec: ArchSpec, aws: Aws) -> ArchSpec:
    """``spec`` with ``{account}`` in names bound to the caller's account (the spec's ``account`` wins)."""
    if spec.account or not names_use_account(spec):
        return spec
    return spec.for_account(_caller_account(aws))


def collect(
    spec: ArchSpec,
    aws: Aws,
    desired: Sequence[ResourceState],
    progress: Callable[[str], None] | None = None,
) -> Collected:
    """Read every desired resource (and the system's tagged extras) from the account."""
    account = _caller_account(aws)

    # An emulator declares what it cannot hold: those attributes are not_checked, never judged, and a kind it
    # cannot hold at all is not read (its API would only answer errors, retried with back-off).
    gaps = capabilities.fetch(aws.options.endpoint_url) if aws.options.endpoint_url else []
    unheld_types = set(capabilities.whole_resource_gaps(gaps))
    with ThreadPoolExecutor(max_workers=aws.options.max_workers, thread_name_prefix="archkit-read") as pool:
        ctx = Context(
            spec=spec, aws=aws, desired=desired, pool=pool, regions=aws.options.regions, progress=progress
        )

        def run(types: tuple[str, ...], fn: Callable[[Context], None]) -> None:
            try:
                fn(ctx)
            except Exception as exc:  # the whole kind is unreadable: its resources are not_checked
                done = {s.path for s in ctx.states} | {n.path for n in ctx.not_checked}
                for want in ctx.wanted(*types):
                    if want.path not in done:
                        ctx.fail(want, exc)

        def run_tagging() -> None:
            try:
                tagging.collect(ctx)
            except Exception as exc:
                reason, message = classify(exc)
                ctx.not_checked.append(NotChecked(UNMANAGED_CHECK, "*", None, reason, message))

        kinds = all_kinds()
        with ThreadPoolExecutor(max_workers=len(kinds) + 1, thread_name_prefix="archkit-kind") as services:
            futures = [
                services.submit(run, tuple(k.states), k.collect)
                for k in kinds
                if not set(k.states) <= unheld_types
            ]
            futures.append(services.submit(run_tagging))
            for f in futures:
                f.result()

    states = resolve_references(sorted(ctx.states, key=lambda s: s.path))
    not_checked = ctx.not_checked
    if gaps:
        states, unheld = capabilities.honour(gaps, desired, states)
        not_checked = [n for n in not_checked if n.path not in unheld] + [
            NotChecked(s.path, s.resource_type, s.physical_id, "unsupported", unheld[s.path])
            for s in desired
            if s.path in unheld
        ]
    return Collected(
        states=states,
        not_checked=sorted(not_checked, key=lambda n: (n.path, n.attribute or "")),
        unmanaged=_unmanaged(spec, ctx, desired),
        account=account,
        calls=dict(sorted(aws.calls.items())),
    )
