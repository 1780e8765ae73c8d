"""Compute: Lambda functions and their layers."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal, get_args

from pydantic import Field, model_validator

from archkit.spec.base import Access, SpecModel
from archkit.spec.name_patterns import PHYSICAL_NAME_FIELD, PhysicalName

Runtime = Literal[
    "python3.11", "python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "java21", "provided.al2023"
]


def newest_runtime(runtime: str) -> str:
    """The newest runtime archkit offers in ``runtime``'s family (python, nodejs, ...): the last listed."""
    family = re.match(r"[a-z]+", runtime)
    same = [r for r in get_args(Runtime) if family and r.startswith(family.group(0))]
    return same[-1] if same else runtime


Architecture = Literal["arm64", "x86_64"]
CodeTier = Literal["handler", "business_logic", "data_access"]
"""Internal layers of a function's code (the seed's Lambda view): Handler -> Business Logic -> Data Access."""


class LayerSpec(SpecModel):
    """A Lambda layer shared by functions (common libraries, AWS SDK, database drivers)."""

    description: str = Field(description="What the layer provides.")
    code: str = Field(description="Directory of the layer's content, relative to the spec file.")
    compatible_runtimes: list[Runtime] = Field(default=["python3.12"], description="Runtimes it supports.")
    compatible_architectures: list[Architecture] = Field(
        default=["arm64"], description="Architectures it supports."
    )


class GrantSpec(SpecModel):
    """Least-privilege access of a function to a table, bucket or secret."""

    __shorthand__: ClassVar[str] = "an access level (read, write or read_write)"

    access: Access = Field(default="read", description="`read`, `write` or `read_write`.")
    prefixes: list[str] = Field(
        default=[],
        description="For buckets: key prefixes the grant is limited to (e.g. `uploads/`); empty: the bucket.",
    )
    indexes: bool = Field(default=True, description="For tables: include the table's indexes.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        # `tables.main: read` is shorthand for `{access: read}`.
        return {"access": data} if isinstance(data, str) else data


class FunctionSpec(SpecModel):
    """A Lambda function: code, runtime, sizing, placement, configuration and grants."""

    description: str = Field(default="", description="What the function does.")
    physical_name: PhysicalName | None = PHYSICAL_NAME_FIELD
    handler: str = Field(description="Handler entry point, e.g. `users.get_user.handler`.")
    code: str = Field(
        default="lambda", description="Directory of the function code, relative to the spec file."
    )
    runtime: Runtime = Field(default="python3.12", description="Lambda runtime.")
    architecture: Architecture = Field(
        default="arm64", description="Instruction set; ARM64 (Graviton) is cheaper."
    )
    memory: int = Field(default=256, ge=128, le=10240, description="Memory in MB (right-size per function).")
    timeout: int = Field(default=10, ge=1, le=900, description="Timeout in seconds.")
    reserved_concurrency: int | None = Field(
        default=None,
        ge=0,
        description="Reserved concurrent executions; none leaves the account pool unreserved.",
    )
    vpc: bool = Field(default=True, description="Place the function in the private subnets of the VPC.")
    security_groups: list[str] = Field(
        default=[], description="Security group keys for the function's ENIs (when in the VPC)."
    )
    layers: list[str] = Field(default=[], description="Layer keys (of `layers`) attached in this order.")
    environment: dict[str, str] = Field(
        default={},
        description=(
            "Environment variables. Values may hold `${tables.<name>.name}`, `${buckets.<name>.name}`, "
            "`${project}`, `${environment}`, `${region}`, `${domain_name}` or `${api.url}` placeholders. "
            "Never put a secret here."
        ),
    )
    secrets: list[str] = Field(
        default=[],
        description=(
            "Secrets (keys of `secrets`) the function may read. The function receives the secret's ARN in "
            "`<NAME>_SECRET_ARN` (e.g. `JWT_SECRET_SECRET_ARN`), never the value."
        ),
    )
    grants: dict[str, GrantSpec] = Field(
        default={},
        description="Access to data stores: `tables.<name>` or `buckets.<name>` mapped to an access level.",
    )
    database: bool = Field(
        default=False,
        description=(
            "Connects to the RDS database (`rds`): admitted by the database's security group, may read its "
            "credentials secret, and gets `DB_HOST`, `DB_PORT`, `DB_NAME` and the secret's ARN."
        ),
    )
    tiers: list[CodeTier] = Field(
        default=["handler", "business_logic", "data_access"],
        description=(
            "Internal structure of the code, in call order (Handler -> Business Logic -> Data Access Layer); "
            "drawn in the Lambda view and listed in the docs. A function without data access omits it."
        ),
    )
    tracing: bool = Field(default=True, description="AWS X-Ray active tracing.")
    log_retention_days: int = Field(default=30, ge=1, description="CloudWatch Logs retention in days.")
    ephemeral_storage: int = Field(default=512, ge=512, le=10240, description="/tmp size in MB.")
