"""The root model, :class:`ArchSpec`, and its cross-reference validation."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, model_validator

from archkit.spec.api import ApiSpec
from archkit.spec.base import ENVIRONMENT_PATTERN, PROJECT_PATTERN, EnvironmentName, Name, Region, SpecModel
from archkit.spec.compute import FunctionSpec, LayerSpec
from archkit.spec.cost import CostSpec
from archkit.spec.data import BucketSpec, RdsSpec, TableSpec
from archkit.spec.edge import EdgeSpec
from archkit.spec.inventory import Resource, resources
from archkit.spec.naming import physical_name, resource_tags
from archkit.spec.network import NetworkSpec
from archkit.spec.policy import ComplianceSpec, DiagramsSpec, DriftSpec
from archkit.spec.security import SecretSpec, SecuritySpec


class ArchSpec(SpecModel):
    """A whole AWS system, resolved for one environment.

    In a file, top-level keys starting with ``x-`` are ignored (a place for YAML anchors).
    """

    model_config = ConfigDict(
        **SpecModel.model_config,
        title="archkit spec",
        json_schema_extra={
            "patternProperties": {"^x-": {"description": "Ignored: a place for YAML anchors."}}
        },
    )

    project: str = Field(
        pattern=PROJECT_PATTERN, description="Project name: lower case, starts every physical name."
    )
    description: str = Field(default="", description="What the system is.")
    owner: str = Field(min_length=1, description="Owning team; the `Owner` cost-allocation tag.")
    environment: str = Field(
        default="prod",
        pattern=ENVIRONMENT_PATTERN,
        description="Selected environment; in a file, the default one (`--env` picks another).",
    )
    environments: dict[EnvironmentName, dict[str, Any]] = Field(
        default={},
        description=(
            "Per-environment overrides merged over the document (e.g. `dev: {network: {nat_gateways: 1}}`); "
            "a `*` key applies to every entry of a map."
        ),
    )
    account: str | None = Field(default=None, pattern=r"^\d{12}$", description="AWS account id (optional).")
    region: Region = Field(default="us-east-1", description="Primary region.")
    availability_zones: list[str] = Field(
        default=["us-east-1a", "us-east-1b"],
        min_length=1,
        description="Explicit availability zones (in the primary region).",
    )
    tags: dict[str, str] = Field(
        default={}, description="Extra tags on every resource (beside the cost tags)."
    )

    network: NetworkSpec = Field(default_factory=NetworkSpec, description="VPC and everything in it.")
    edge: EdgeSpec = Field(default_factory=EdgeSpec, description="Route 53, CloudFront, WAF, Shield.")
    api: ApiSpec = Field(default_factory=ApiSpec, description="API Gateway REST API.")
    layers: dict[Name, LayerSpec] = Field(default={}, description="Lambda layers.")
    functions: dict[Name, FunctionSpec] = Field(default={}, description="Lambda functions.")
    tables: dict[Name, TableSpec] = Field(default={}, description="DynamoDB tables.")
    buckets: dict[Name, BucketSpec] = Field(default={}, description="S3 buckets.")
    rds: RdsSpec = Field(default_factory=RdsSpec, description="Optional RDS database.")
    secrets: dict[Name, SecretSpec] = Field(default={}, description="Secrets Manager secrets.")
    security: SecuritySpec = Field(
        default_factory=SecuritySpec, description="KMS keys, roles, security layers."
    )
    cost: CostSpec = Field(
        default_factory=CostSpec, description="Budgets, anomaly detection, allocation tags."
    )
    compliance: ComplianceSpec = Field(default_factory=ComplianceSpec, description="Suppressions.")
    drift: DriftSpec = Field(default_factory=DriftSpec, description="Drift detection settings.")
    diagrams: DiagramsSpec = Field(default_factory=DiagramsSpec, description="Diagram settings.")

    @model_validator(mode="after")
    def _cross_references(self) -> ArchSpec:
        from archkit.spec.references import check_references

        issues = check_references(self)
        if issues:
            raise ReferenceErrors(issues)
        return self

    # Convenience accessors shared by every consumer -------------------------------------------
    def name_of(self, key: str) -> str:
        """Physical name ``{project}-{environment}-{key}``."""
        return physical_name(self, key)

    def tags_for(self, spec_path: str) -> dict[str, str]:
        """Tag set of the resource at ``spec_path``."""
        return resource_tags(self, spec_path)

    def resources(self) -> list[Resource]:
        """Every declared resource (see :mod:`archkit.spec.inventory`)."""
        return resources(self)


class ReferenceErrors(ValueError):
    """Several cross-reference problems at once; the loader turns them into located errors."""

    def __init__(self, issues: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in issues))
