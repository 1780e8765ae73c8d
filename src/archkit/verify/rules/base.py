"""The rule framework: metadata, outcomes, the evaluation context and the ``@rule`` decorator.

A rule is a pure function ``check(state, ctx) -> Outcome | list[Outcome]`` over one normalized state
(the same type on the desired and the observed side), with its metadata attached by ``@rule``. It never
calls AWS: everything it reads is in the state, the other states of the run (``ctx``) or the spec.
This module imports pydantic and the standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

RULE_ID_PATTERN = r"^ARCH-[A-Z0-9]+-\d{3}$"
"""Same pattern as ``SuppressionSpec.rule`` in the spec, so every rule id can be suppressed."""

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
"""Most to least severe."""

Layer = Literal["edge", "api", "application", "data", "network", "cost", "governance"]
LAYER_TITLES: dict[str, str] = {
    "edge": "1. Edge security (CloudFront + WAF)",
    "api": "2. API security (API Gateway)",
    "application": "3. Application security (Lambda)",
    "data": "4. Data security",
    "network": "Network (VPC)",
    "cost": "Cost optimization",
    "governance": "Governance (suppressions)",
}
"""The seed's four security layers, the network, the cost strategy, and the suppressions themselves."""

Status = Literal["pass", "fail", "not_applicable"]
Mode = Literal["desired", "observed"]


class Counterparts(BaseModel):
    """The same control in the field's tools and standards (empty where none exists)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    security_hub: tuple[str, ...] = Field(
        default=(), description="AWS Security Hub control (FSBP unless noted)."
    )
    cdk_nag: tuple[str, ...] = Field(default=(), description="cdk-nag rule ids (pack-prefixed).")
    checkov: tuple[str, ...] = Field(default=(), description="checkov check ids.")
    prowler: tuple[str, ...] = Field(default=(), description="Prowler check ids.")
    config: tuple[str, ...] = Field(default=(), description="AWS Config managed rule names.")
    cis: tuple[str, ...] = Field(
        default=(), description="CIS AWS Foundations Benchmark v1.4.0 recommendation."
    )

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(name, getattr(self, name)) for name in type(self).model_fields]


class RuleMeta(BaseModel):
    """Everything the catalogue says about a rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id, e.g. `ARCH-DDB-001`.")
    title: str = Field(min_length=10, description="What a compliant resource has, as one sentence.")
    severity: Severity = Field(description="critical, high, medium, low or info.")
    layer: Layer = Field(description="Seed security layer or cost pillar the rule belongs to.")
    enforces: str = Field(min_length=5, description="The seed bullet it enforces, e.g. 'Rate Limiting'.")
    resource_type: str = Field(
        description="CloudFormation type of the resources it checks ('*' for the system)."
    )
    remediation: str = Field(min_length=10, description="What to change in the spec (or the account).")
    counterparts: Counterparts = Field(default_factory=Counterparts)
    differences: str = Field(
        default="", description="Where the rule and its cdk-nag counterpart disagree on purpose, and why."
    )
    description: str = Field(default="", description="Longer explanation (the check function's docstring).")
    module: str = Field(default="", description="Python module defining the rule.")


@dataclass(frozen=True)
class Outcome:
    """The verdict of a rule on one resource (or one part of it, named by ``attribute``)."""

    status: Status
    message: str = ""
    attribute: str | None = None
    expected: Any = None
    actual: Any = None
    resource: str | None = None
    """Overrides the state's spec path (system-wide rules name the resource they judge)."""


def passed(message: str = "", *, attribute: str | None = None, resource: str | None = None) -> Outcome:
    return Outcome("pass", message, attribute, resource=resource)


def failed(
    message: str,
    *,
    attribute: str | None = None,
    expected: Any = None,
    actual: Any = None,
    resource: str | None = None,
) -> Outcome:
    return Outcome("fail", message, attribute, expected, actual, resource)


def not_applicable(message: str = "", *, resource: str | None = None) -> Outcome:
    return Outcome("not_applicable", message, resource=resource)


@dataclass
class RuleContext:
    """What a rule may read besides its own state: the spec, every state of the run, and the date.

    ``mode`` tells whether the states were derived from the spec (``desired``, before deploy) or read
    from the account (``observed``); rules should rarely need it.
    """

    spec: ArchSpec
    states: Sequence[Any]
    mode: Mode = "desired"
    today: dt.date = field(default_factory=dt.date.today)
    unreadable: frozenset[str] = frozenset()
    """Spec paths of resources the collectors could not read (not_checked): absent from ``states`` but not
    missing, so a rule asking whether such a resource exists must not fail."""
    _by_path: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for state in self.states:
            path = getattr(state, "path", None)
            if isinstance(path, str):
                self._by_path.setdefault(path, state)

    def get(self, path: str) -> Any | None:
        """The state at a spec path (``tables.main``), if the run has it."""
        return self._by_path.get(path)

    def of_type(self, cls: type[Any] | tuple[type[Any], ...]) -> list[Any]:
        """Every state of a kind, in run order."""
        return [s for s in self.states if isinstance(s, cls)]


class SystemScope:
    """Marker ``applies_to`` for rules judging the system as a whole (a budget exists, an endpoint exists)."""

    path = "*"


SYSTEM = SystemScope()

CheckFunction = Callable[[Any, RuleContext], "Outcome | Sequence[Outcome]"]


@dataclass(frozen=True)
class Rule:
    """A registered rule: metadata, the state types it applies to, and its check function."""

    meta: RuleMeta
    applies_to: tuple[type[Any], ...]
    check: CheckFunction

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def is_system(self) -> bool:
        return SystemScope in self.applies_to

    def run(self, state: Any, ctx: RuleContext) -> list[Outcome]:
        result = self.check(state, ctx)
        return [result] if isinstance(result, Outcome) else list(result)


def _docstring(fn: Callable[..., Any]) -> str:
    text = (fn.__doc__ or "").strip()
    return re.sub(r"\n\s+", "\n", text)


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    layer: Layer,
    enforces: str,
    applies_to: type[Any] | tuple[type[Any], ...] | SystemScope,
    resource_type: str,
    remediation: str,
    counterparts: Counterparts | None = None,
    differences: str = "",
) -> Callable[[CheckFunction], CheckFunction]:
    """Attach metadata to a check function, making it a rule the registry discovers in its module."""

    def decorate(fn: CheckFunction) -> CheckFunction:
        types: tuple[type[Any], ...]
        if isinstance(applies_to, SystemScope):
            types = (SystemScope,)
        elif isinstance(applies_to, tuple):
            types = applies_to
        else:
            types = (applies_to,)
        meta = RuleMeta(
            id=id,
            title=title,
            severity=severity,
            layer=layer,
            enforces=enforces,
            resource_type=resource_type,
            remediation=remediation,
            counterparts=counterparts or Counterparts(),
            differences=differences,
            description=_docstring(fn),
            module=fn.__module__,
        )
        # The registry finds rules by this attribute when it scans a rule module.
        fn.rule = Rule(meta=meta, applies_to=types, check=fn)  # type: ignore[attr-defined]
        return fn

    return decorate
