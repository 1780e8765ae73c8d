"""The root model, :class:`ArchSpec`, and its cross-reference validation."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, PrivateAttr, model_validator

from archkit.spec.api import ApiSpec
from archkit.spec.base import ENVIRONMENT_PATTERN, PROJECT_PATTERN, EnvironmentName, Name, Region, SpecModel
from archkit.spec.compute import FunctionSpec, LayerSpec
from archkit.spec.cost import CostSpec
from archkit.spec.data import BucketSpec, RdsSpec, TableSpec
from archkit.spec.defaults import DefaultsSpec, apply_defaults
from archkit.spec.edge import EdgeSpec
from archkit.spec.events import EventRuleSpec, QueueSpec, ScheduleSpec, TopicSpec
from archkit.spec.inventory import Resource, resources
from archkit.spec.name_patterns import NameKind, NamingSpec
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
    naming: NamingSpec = Field(
        default_factory=NamingSpec, description="Physical name pattern(s); see also each `physical_name`."
    )

    network: NetworkSpec = Field(default_factory=NetworkSpec, description="VPC and everything in it.")
    edge: EdgeSpec = Field(default_factory=EdgeSpec, description="Route 53, CloudFront, WAF, Shield.")
    api: ApiSpec = Field(default_factory=ApiSpec, description="API Gateway REST API.")
    defaults: DefaultsSpec = Field(
        default_factory=DefaultsSpec,
        description=(
            "Values merged under every function (`defaults.functions`): runtime, memory, layers, security "
            "groups, environment variables...; a function's own values win. `archkit validate --explain` "
            "shows where each effective value comes from."
        ),
    )
    layers: dict[Name, LayerSpec] = Field(default={}, description="Lambda layers.")
    functions: dict[Name, FunctionSpec] = Field(default={}, description="Lambda functions.")
    tables: dict[Name, TableSpec] = Field(default={}, description="DynamoDB tables.")
    buckets: dict[Name, BucketSpec] = Field(default={}, description="S3 buckets.")
    queues: dict[Name, QueueSpec] = Field(
        default={}, description="SQS queues, each with a dead-letter queue."
    )
    topics: dict[Name, TopicSpec] = Field(default={}, description="SNS topics and their subscriptions.")
    schedules: dict[Name, ScheduleSpec] = Field(
        default={}, description="EventBridge schedules (cron or rate) invoking functions."
    )
    event_rules: dict[Name, EventRuleSpec] = Field(
        default={}, description="EventBridge rules: event patterns routed to functions or queues."
    )
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

    _name_account: str | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        # A spec built in Python gets its defaults merged too (the loader has done it, with positions).
        return apply_defaults(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _cross_references(self) -> ArchSpec:
        from archkit.spec.references import check_references

        issues = check_references(self)
        if issues:
            raise ReferenceErrors(issues)
        return self

    # Convenience accessors shared by every consumer -------------------------------------------
    def name_of(self, key: str, kind: NameKind | None = None) -> str:
        """Physical name of ``key`` (a resource of the type ``kind``, e.g. ``buckets``)."""
        return physical_name(self, key, kind)

    def bound_account(self) -> str | None:
        """The account id names use for ``{account}`` when the spec names none (see :meth:`for_account`)."""
        return self._name_account

    def for_account(self, account: str) -> ArchSpec:
        """A copy whose names resolve ``{account}`` to ``account`` (CDK's account token at deploy time, the
        caller's account at verify time), unless the spec names its account itself."""
        bound = self.model_copy()
        bound._name_account = account
        return bound

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
