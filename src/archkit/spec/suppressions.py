"""One decision, one suppression: an archkit rule and its cdk-nag counterpart are suppressed together.

A suppression of an archkit rule (``compliance.suppressions``) also acknowledges the rule's cdk-nag
counterparts on the same resource, and a cdk-nag suppression without ``applies_to`` also suppresses the
archkit rules it is the counterpart of, with the same reason. The mapping is the rules' own metadata
(``counterparts.cdk_nag``); the spec knows no rules, so the layer defining them registers a provider
(``archkit/__init__.py``), as it does for the rule ids.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from archkit.spec.policy import NagSuppressionSpec, SuppressionSpec

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

NagCounterparts = Callable[[], Mapping[str, Collection[str]]]
"""archkit rule id -> the cdk-nag rule ids that check the same thing."""

_providers: list[NagCounterparts] = []


def register_nag_counterparts(provider: NagCounterparts) -> None:
    """Let the layer that defines the rules say which cdk-nag rules each one maps to (called lazily)."""
    if provider not in _providers:
        _providers.append(provider)


def nag_counterparts() -> dict[str, tuple[str, ...]]:
    """archkit rule id -> its cdk-nag counterparts, from every registered provider."""
    out: dict[str, tuple[str, ...]] = {}
    for provider in _providers:
        for rule, nags in provider().items():
            out[rule] = tuple(sorted({*out.get(rule, ()), *nags}))
    return out


def _nag_resource(resource: str) -> str | None:
    return None if resource == "*" else resource


def implied_nag_suppressions(spec: ArchSpec) -> list[NagSuppressionSpec]:
    """The cdk-nag acknowledgments the spec's archkit suppressions imply (same resource, same reason)."""
    if not spec.compliance.suppressions:
        return []
    mapping = nag_counterparts()
    written = {(n.rule, n.resource) for n in spec.compliance.nag_suppressions if not n.applies_to}
    out = []
    for entry in spec.compliance.suppressions:
        for nag in mapping.get(entry.rule, ()):
            if (nag, _nag_resource(entry.resource)) not in written:
                # Built, not validated: a counterpart may be of a pack whose ids the spec pattern refuses.
                out.append(
                    NagSuppressionSpec.model_construct(
                        rule=nag, resource=_nag_resource(entry.resource), applies_to=[], reason=entry.reason
                    )
                )
    return out


def implied_suppressions(spec: ArchSpec) -> list[SuppressionSpec]:
    """The archkit suppressions the spec's cdk-nag suppressions imply: a cdk-nag suppression of a whole rule
    (no ``applies_to``) suppresses every archkit rule it is the counterpart of, on the same resource."""
    whole = [n for n in spec.compliance.nag_suppressions if not n.applies_to]
    if not whole:
        return []
    by_nag: dict[str, list[str]] = {}
    for rule, nags in nag_counterparts().items():
        for nag in nags:
            by_nag.setdefault(nag, []).append(rule)
    written = {(s.rule, s.resource) for s in spec.compliance.suppressions}
    out = []
    for entry in whole:
        resource = entry.resource or "*"
        for rule in sorted(by_nag.get(entry.rule, ())):
            if (rule, resource) not in written:
                out.append(SuppressionSpec(rule=rule, resource=resource, reason=entry.reason))
    return out


def redundant_nag_suppressions(spec: ArchSpec) -> list[tuple[tuple[str | int, ...], str]]:
    """cdk-nag suppressions written beside the archkit suppression that already implies them: the old,
    doubled form, still accepted, each with the message that names the one to keep."""
    mapping = nag_counterparts() if spec.compliance.suppressions else {}
    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, nag in enumerate(spec.compliance.nag_suppressions):
        if nag.applies_to:
            continue
        for j, entry in enumerate(spec.compliance.suppressions):
            if nag.rule in mapping.get(entry.rule, ()) and nag.resource == _nag_resource(entry.resource):
                out.append(
                    (
                        ("compliance", "nag_suppressions", i),
                        f"deprecated: {nag.rule} on {nag.resource or 'every resource'} is implied by "
                        f"compliance.suppressions.{j} ({entry.rule}, its archkit counterpart); remove this "
                        "entry (one decision, one suppression)",
                    )
                )
                break
    return out
