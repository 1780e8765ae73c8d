"""Governance: compliance suppressions, cdk-nag suppressions and drift ignore rules, each with a reason."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from archkit.spec.base import SpecModel

_REASON = Field(
    min_length=15, description="Why this is acceptable (at least 15 characters; reviewed like code)."
)


class SuppressionSpec(SpecModel):
    """Accept one compliance finding on one resource, for a reason, optionally until a date."""

    rule: str = Field(pattern=r"^ARCH-[A-Z0-9]+-\d{3}$", description="Rule id, e.g. `ARCH-DDB-001`.")
    resource: str = Field(description="Spec path of the resource (e.g. `tables.main`), or `*` for all.")
    reason: str = _REASON
    expires: dt.date | None = Field(
        default=None, description="After this date the suppression is itself a finding."
    )


class NagSuppressionSpec(SpecModel):
    """Accept one cdk-nag finding, for a reason."""

    rule: str = Field(
        pattern=r"^[A-Za-z]+-[A-Za-z0-9]+$", description="cdk-nag rule id, e.g. `AwsSolutions-IAM4`."
    )
    resource: str | None = Field(
        default=None, description="Spec path it is limited to; none for the whole app."
    )
    applies_to: list[str] = Field(default=[], description="Finding ids it is limited to (e.g. a policy ARN).")
    reason: str = _REASON


class IgnoreSpec(SpecModel):
    """Do not report drift on an attribute (or whole resource) that is changed outside the spec on purpose."""

    resource: str = Field(description="Spec path of the resource, or `*`.")
    attribute: str = Field(default="*", description="Attribute path (dotted, `*` wildcards allowed).")
    reason: str = _REASON


class ComplianceSpec(SpecModel):
    """Suppressions of compliance rules and cdk-nag findings."""

    suppressions: list[SuppressionSpec] = Field(default=[], description="Accepted archkit rule findings.")
    nag_suppressions: list[NagSuppressionSpec] = Field(default=[], description="Accepted cdk-nag findings.")


class DriftSpec(SpecModel):
    """Drift detection settings."""

    ignore: list[IgnoreSpec] = Field(default=[], description="Attributes whose drift is not reported.")
    report_unmanaged: bool = Field(
        default=True,
        description="Report resources tagged with this Project/Environment that the spec does not declare.",
    )


class DiagramsSpec(SpecModel):
    """How the diagrams and docs draw the system."""

    show_disabled: bool = Field(
        default=False,
        description="Also draw the optional boxes the spec leaves off (ALB, bastion host, RDS, VPC link), "
        "dashed and grey, e.g. to discuss turning them on; by default a diagram shows only what is deployed.",
    )
