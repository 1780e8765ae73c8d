"""Findings and the report: the JSON contract of `archkit verify --format json` (docs/design.md).

Drift, compliance and not-checked findings share one model so every report format treats them alike.
Imports pydantic only.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
"""Most to least severe."""

Kind = Literal["drift", "compliance", "not_checked"]
Change = Literal["missing", "unmanaged", "changed"]

SEVERITY_RANK: dict[str, int] = {name: len(SEVERITIES) - i for i, name in enumerate(SEVERITIES)}
"""critical 5 ... info 1; `--fail-on` compares ranks."""

SECURITY_SEVERITY: dict[str, str] = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "0.0",
}
"""SARIF `security-severity` (GitHub code scanning maps >= 9 critical, >= 7 high, >= 4 medium, else low)."""

ACCOUNT_ERROR_REASONS: frozenset[str] = frozenset(
    {"AccessDenied", "NoCredentials", "EndpointUnreachable", "Throttled", "ReadError"}
)
"""not_checked reasons that mean the account could not be read (exit 3); `unsupported` is not one of them."""


class Finding(BaseModel):
    """One drift, compliance or not-checked result about one resource (and optionally one attribute)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    change: Change | None = Field(default=None, description="Drift only: missing, unmanaged or changed.")
    rule_id: str | None = Field(
        default=None, description="Compliance only: the rule id, e.g. `ARCH-DDB-001`."
    )
    resource: str = Field(description="Spec path (`tables.main`); for unmanaged resources the physical id.")
    resource_type: str = Field(description="CloudFormation type.")
    physical_id: str | None = Field(default=None, description="Name, id or ARN in the account.")
    attribute: str | None = Field(
        default=None, description="Dotted attribute path (`indexes.by_status.projection`)."
    )
    expected: Any = Field(default=None, description="Desired value (JSON).")
    actual: Any = Field(default=None, description="Observed value (JSON).")
    severity: Severity
    message: str
    reason: str | None = Field(
        default=None,
        description="not_checked only: AccessDenied, NoCredentials, EndpointUnreachable, unsupported...",
    )
    title: str | None = Field(default=None, description="Compliance only: the rule title (SARIF rule text).")
    suppressed: bool = Field(
        default=False, description="Compliance only: accepted by a suppression in the spec."
    )
    suppression: str | None = Field(
        default=None, description="The suppression's reason (and expiry, if any)."
    )

    def sort_key(self) -> tuple[str, ...]:
        return (
            self.resource,
            self.kind,
            self.change or "",
            self.rule_id or "",
            self.attribute or "",
            json.dumps(self.expected, sort_keys=True, default=str),
            json.dumps(self.actual, sort_keys=True, default=str),
        )

    @property
    def check_id(self) -> str:
        """Stable id of the check that produced the finding (SARIF ruleId, JUnit test name)."""
        if self.kind == "compliance" and self.rule_id:
            return self.rule_id
        if self.kind == "drift":
            return f"ARCHKIT-DRIFT-{(self.change or 'changed').upper()}"
        return "ARCHKIT-NOT-CHECKED"


class Summary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    resources_checked: int = Field(description="Resources of the spec whose state was compared.")
    drift: int = Field(description="Drift findings.")
    compliance_failures: int = Field(description="Compliance findings.")
    not_checked: int = Field(description="Resources or attributes that could not be read.")


class Report(BaseModel):
    """What every report writer renders."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec: str = Field(description="Spec file the report is about.")
    project: str
    environment: str
    region: str
    mode: Literal["observed", "static"] = Field(description="`observed` (account) or `static` (spec only).")
    summary: Summary
    findings: list[Finding]
    checked: list[tuple[str, str]] = Field(
        default_factory=list,
        description="(spec path, CloudFormation type) of every resource checked, sorted.",
    )
    passed_checks: list[tuple[str, str]] = Field(
        default_factory=list, description="(resource, rule id) of compliance checks that passed (JUnit)."
    )

    @classmethod
    def build(
        cls,
        *,
        spec: str,
        project: str,
        environment: str,
        region: str,
        mode: Literal["observed", "static"],
        findings: list[Finding],
        checked: list[tuple[str, str]],
        passed_checks: list[tuple[str, str]] | None = None,
    ) -> Report:
        unique = {(f.sort_key(), f.message): f for f in findings}
        ordered = [unique[k] for k in sorted(unique)]
        summary = Summary(
            resources_checked=len(checked),
            drift=sum(f.kind == "drift" for f in ordered),
            compliance_failures=sum(f.kind == "compliance" and not f.suppressed for f in ordered),
            not_checked=sum(f.kind == "not_checked" for f in ordered),
        )
        return cls(
            spec=spec,
            project=project,
            environment=environment,
            region=region,
            mode=mode,
            summary=summary,
            findings=ordered,
            checked=sorted(checked),
            passed_checks=sorted(set(passed_checks or [])),
        )

    def account_unreadable(self) -> bool:
        """True when part of the account could not be read (exit code 3)."""
        return any(f.kind == "not_checked" and f.reason in ACCOUNT_ERROR_REASONS for f in self.findings)

    def worst_at_or_above(self, fail_on: Severity) -> bool:
        """True when a drift or compliance finding is at least as severe as ``fail_on``."""
        floor = SEVERITY_RANK[fail_on]
        return any(
            f.kind != "not_checked" and not f.suppressed and SEVERITY_RANK[f.severity] >= floor
            for f in self.findings
        )
