"""Security: KMS keys, IAM roles, secrets, and the application and data security layers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from archkit.spec.base import Name, SpecModel
from archkit.spec.name_patterns import PHYSICAL_NAME_FIELD, PhysicalName


class KmsKeySpec(SpecModel):
    """A customer-managed KMS key, aliased `alias/{project}-{environment}-{key}`."""

    description: str = Field(description="What the key protects.")
    rotation: bool = Field(default=True, description="Yearly automatic key rotation.")
    pending_window_days: int = Field(default=30, ge=7, le=30, description="Waiting period before deletion.")


class RoleSpec(SpecModel):
    """An IAM role that is not a function's own execution role (e.g. the backup role)."""

    description: str = Field(description="What the role is for.")
    assumed_by: str = Field(
        description="Service principal allowed to assume it, e.g. `backup.amazonaws.com`."
    )


class SecretRotationSpec(SpecModel):
    """Automatic rotation of a secret by a rotation function."""

    days: int = Field(default=30, ge=1, le=1000, description="Rotation interval in days.")
    function: str = Field(description="Function (key of `functions`) performing the rotation.")


class SecretSpec(SpecModel):
    """A Secrets Manager secret, referenced by functions (its value never appears in the spec)."""

    description: str = Field(description="What the secret holds.")
    physical_name: PhysicalName | None = PHYSICAL_NAME_FIELD
    kms_key: str | None = Field(
        default=None, description="Key of `security.kms_keys`; none uses aws/secretsmanager."
    )
    rotation: SecretRotationSpec | None = Field(default=None, description="Automatic rotation.")
    generate_length: int = Field(
        default=32, ge=16, le=4096, description="Length of the generated initial value."
    )


class ApplicationSecuritySpec(SpecModel):
    """Layer 3: application security (Lambda)."""

    least_privilege_iam: bool = Field(default=True, description="Roles get only the grants the spec lists.")
    vpc_security_groups: bool = Field(
        default=True, description="Functions run in the VPC behind security groups."
    )
    input_validation: bool = Field(default=True, description="Bodies are validated against API models.")
    environment_isolation: bool = Field(
        default=True,
        description="Every name and tag carries the environment; nothing is shared across environments.",
    )
    dependency_scanning: bool = Field(default=True, description="Function dependencies are scanned in CI.")


class DataSecuritySpec(SpecModel):
    """Layer 4: data security."""

    encryption_at_rest: Literal["AES256", "aws:kms"] = Field(
        default="AES256", description="Baseline at-rest cipher."
    )
    tls_minimum: Literal["1.2", "1.3"] = Field(default="1.2", description="Minimum TLS version in transit.")
    access_logging: bool = Field(
        default=True, description="S3 server access logs and CloudFront/API access logs."
    )
    backup_encryption: bool = Field(default=True, description="Backups (PITR, `backups/`) are encrypted.")
    data_masking: list[str] = Field(
        default=[], description="Attribute names masked in logs (e.g. `email`, `password`)."
    )


class SecuritySpec(SpecModel):
    """KMS keys, roles, and the application and data layers. Edge and API layers live in `edge` and `api`."""

    kms_keys: dict[Name, KmsKeySpec] = Field(default={}, description="Customer-managed KMS keys.")
    roles: dict[Name, RoleSpec] = Field(default={}, description="Extra IAM roles (e.g. `backup`).")
    application: ApplicationSecuritySpec = Field(
        default_factory=ApplicationSecuritySpec, description="Application security layer."
    )
    data: DataSecuritySpec = Field(default_factory=DataSecuritySpec, description="Data security layer.")
