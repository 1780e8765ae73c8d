"""Data: DynamoDB tables, S3 buckets and the optional RDS database."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from archkit.spec.base import Access, Name, Region, SpecModel
from archkit.spec.name_patterns import PHYSICAL_NAME_FIELD, PhysicalName

AttributeType = Literal["string", "number", "binary"]
ItemAttributeType = Literal[
    "string", "number", "binary", "boolean", "null", "map", "list", "string_set", "number_set", "binary_set"
]
"""DynamoDB data types of item attributes."""


class KeySpec(SpecModel):
    """A key attribute: its name and type. `user_id` alone is shorthand for a string key."""

    __shorthand__: ClassVar[str] = "an attribute name (a string key)"

    name: str = Field(min_length=1, max_length=255, description="Attribute name.")
    type: AttributeType = Field(default="string", description="DynamoDB scalar type.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class IndexSpec(SpecModel):
    """A global secondary index."""

    partition_key: KeySpec = Field(description="Partition key of the index.")
    sort_key: KeySpec | None = Field(default=None, description="Sort key of the index.")
    projection: Literal["all", "keys_only", "include"] = Field(
        default="all", description="Projected attributes."
    )
    non_key_attributes: list[str] = Field(default=[], description="Attributes projected with `include`.")
    read_capacity: int | None = Field(
        default=None, ge=1, description="Provisioned reads (provisioned billing only)."
    )
    write_capacity: int | None = Field(
        default=None, ge=1, description="Provisioned writes (provisioned billing only)."
    )


class AutoScalingSpec(SpecModel):
    """Target-tracking auto scaling of provisioned capacity."""

    min_capacity: int = Field(default=5, ge=1, description="Lower bound of capacity units.")
    max_capacity: int = Field(default=100, ge=1, description="Upper bound of capacity units.")
    target_utilization: int = Field(default=70, ge=10, le=90, description="Target utilisation in percent.")


class StreamSpec(SpecModel):
    """A DynamoDB stream and the Lambda function that consumes it."""

    view: Literal["keys_only", "new_image", "old_image", "new_and_old_images"] = Field(
        default="new_and_old_images", description="What each stream record carries."
    )
    consumer: str | None = Field(
        default=None, description="Function (key of `functions`) consuming the stream."
    )
    batch_size: int = Field(default=100, ge=1, le=10000, description="Records per invocation.")
    starting_position: Literal["LATEST", "TRIM_HORIZON"] = Field(
        default="LATEST", description="Where reading starts."
    )
    retry_attempts: int = Field(default=3, ge=-1, le=10000, description="Retries of a failed batch.")
    on_failure_queue: bool = Field(
        default=True,
        description="Send records that keep failing to an SQS dead-letter queue (on-failure destination).",
    )


class TableSpec(SpecModel):
    """A DynamoDB table."""

    description: str = Field(default="", description="What the table holds.")
    physical_name: PhysicalName | None = PHYSICAL_NAME_FIELD
    partition_key: KeySpec = Field(description="Partition (hash) key.")
    sort_key: KeySpec | None = Field(default=None, description="Sort (range) key.")
    attributes: dict[str, AttributeType] = Field(
        default={}, description="Types of index key attributes that are not table keys (default string)."
    )
    item_attributes: dict[str, ItemAttributeType] = Field(
        default={},
        description=(
            "Other attributes items carry and their types (e.g. `name: string`, `data: map`). DynamoDB keeps "
            "no "
            "schema for them: they document the item shape for the docs and the DynamoDB view."
        ),
    )
    indexes: dict[Name, IndexSpec] = Field(default={}, description="Global secondary indexes by name.")
    billing: Literal["on_demand", "provisioned"] = Field(default="on_demand", description="Capacity mode.")
    read_capacity: int = Field(
        default=5, ge=1, description="Provisioned read capacity (provisioned billing)."
    )
    write_capacity: int = Field(
        default=5, ge=1, description="Provisioned write capacity (provisioned billing)."
    )
    auto_scaling: AutoScalingSpec | None = Field(
        default=None, description="Auto scaling of reads and writes (provisioned billing)."
    )
    point_in_time_recovery: bool = Field(
        default=True, description="Continuous backups for point-in-time recovery."
    )
    encryption: Literal["aws_owned", "aws_managed", "customer_managed"] = Field(
        default="aws_managed",
        description="Encryption at rest: AWS-owned key, AWS-managed KMS key, or a customer key.",
    )
    kms_key: str | None = Field(
        default=None, description="Key of `security.kms_keys` (customer_managed only)."
    )
    sensitive: bool = Field(
        default=False, description="Holds personal or secret data (compliance asks a customer key)."
    )
    stream: StreamSpec | None = Field(default=None, description="DynamoDB stream and its consumer.")
    replicas: list[Region] = Field(default=[], description="Extra regions for a global table.")
    ttl_attribute: str | None = Field(default=None, description="Attribute holding the expiry epoch for TTL.")
    deletion_protection: bool = Field(default=True, description="Protect the table from deletion.")
    table_class: Literal["STANDARD", "STANDARD_INFREQUENT_ACCESS"] = Field(
        default="STANDARD", description="Table class."
    )


class PrefixSpec(SpecModel):
    """A key prefix of a bucket (a 'folder')."""

    path: str = Field(
        pattern=r"^[A-Za-z0-9_.{}\-/]+/$",
        description="Prefix ending in `/`, e.g. `uploads/{user-id}/images/`.",
    )
    description: str = Field(default="", description="What lives under the prefix.")


PolicyPrincipal = str
"""`cloudfront` (the distribution, via origin access control), `functions.<name>`, or `roles.<name>`."""


class BucketPolicySpec(SpecModel):
    """A bucket policy statement granting one principal access to one prefix."""

    sid: str = Field(pattern=r"^[A-Za-z0-9]+$", description="Statement id (alphanumeric).")
    principal: PolicyPrincipal = Field(
        description="`cloudfront`, `functions.<name>` (its execution role) or `roles.<name>`."
    )
    access: Access = Field(default="read", description="`read`, `write` or `read_write`.")
    prefix: str = Field(description="Declared prefix the statement is limited to, e.g. `static/`.")


class TransitionSpec(SpecModel):
    """A storage-class transition."""

    storage_class: Literal[
        "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"
    ] = Field(description="Target storage class.")
    days: int = Field(ge=0, description="Days after creation.")


class LifecycleRuleSpec(SpecModel):
    """A lifecycle rule on a prefix."""

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]+$", description="Rule id.")
    prefix: str = Field(description="Declared prefix the rule applies to.")
    transitions: list[TransitionSpec] = Field(default=[], description="Storage-class transitions.")
    expiration_days: int | None = Field(
        default=None, ge=1, description="Delete objects after this many days."
    )
    noncurrent_expiration_days: int | None = Field(
        default=None, ge=1, description="Delete old versions after days."
    )
    abort_incomplete_multipart_days: int | None = Field(
        default=7, ge=1, description="Abort stale multipart uploads."
    )


class IntelligentTieringSpec(SpecModel):
    """S3 Intelligent-Tiering archive configuration."""

    enabled: bool = Field(default=False, description="Add an Intelligent-Tiering configuration.")
    prefix: str = Field(default="", description="Prefix it applies to; empty for the whole bucket.")
    archive_access_days: int | None = Field(default=90, ge=90, description="Days to Archive Access tier.")
    deep_archive_access_days: int | None = Field(
        default=180, ge=180, description="Days to Deep Archive Access tier."
    )


class BucketSpec(SpecModel):
    """An S3 bucket, named by the naming pattern (`{project}-{environment}-{key}` unless set otherwise)."""

    description: str = Field(default="", description="What the bucket holds.")
    physical_name: PhysicalName | None = PHYSICAL_NAME_FIELD
    prefixes: list[PrefixSpec] = Field(default=[], description="Declared prefix tree.")
    policies: list[BucketPolicySpec] = Field(
        default=[], description="Prefix-scoped bucket policy statements."
    )
    lifecycle: list[LifecycleRuleSpec] = Field(default=[], description="Lifecycle rules.")
    intelligent_tiering: IntelligentTieringSpec = Field(
        default_factory=IntelligentTieringSpec, description="Intelligent-Tiering archive configuration."
    )
    versioning: bool = Field(default=True, description="Keep object versions.")
    encryption: Literal["s3_managed", "kms"] = Field(
        default="s3_managed", description="SSE-S3 (AES-256) or SSE-KMS."
    )
    kms_key: str | None = Field(default=None, description="Key of `security.kms_keys` (kms encryption only).")
    block_public_access: bool = Field(
        default=True, description="All four S3 public access block settings on."
    )
    enforce_tls: bool = Field(default=True, description="Deny any request not made over TLS.")
    access_logs_bucket: str | None = Field(
        default=None,
        description="Bucket key receiving this bucket's server access logs; none disables logging.",
    )
    object_ownership: Literal["BucketOwnerEnforced", "ObjectWriter", "BucketOwnerPreferred"] = Field(
        default="BucketOwnerEnforced", description="Object ownership (ACLs disabled by default)."
    )


RDS_DEFAULT_PORTS: dict[str, int] = {"postgres": 5432, "mysql": 3306}
RDS_LOG_EXPORTS: dict[str, list[str]] = {
    "postgres": ["postgresql", "upgrade"],
    "mysql": ["error", "general", "slowquery"],
}
"""CloudWatch Logs exports of each engine: every log the engine offers that carries errors or changes."""


class RdsSpec(SpecModel):
    """Optional relational database in the private subnets.

    Functions with `database: true` reach it: the database's security group admits theirs on `port`, they
    may read the credentials secret, and they get `DB_HOST`, `DB_PORT`, `DB_NAME` and the secret's ARN.
    """

    enabled: bool = Field(default=False, description="Create the database.")
    engine: Literal["postgres", "mysql"] = Field(default="postgres", description="Database engine.")
    engine_version: str = Field(
        default="16.10", description="Engine version (one RDS still offers for new instances)."
    )
    instance_class: str = Field(default="db.t4g.micro", description="Instance class (Graviton by default).")
    allocated_storage_gb: int = Field(default=20, ge=20, description="Storage in GB.")
    storage_type: Literal["gp3", "gp2", "io1", "io2"] = Field(default="gp3", description="Storage type.")
    multi_az: bool = Field(default=False, description="Standby in a second AZ.")
    port: int | None = Field(
        default=None, ge=1150, le=65535, description="Listening port; none uses the engine's (5432, 3306)."
    )
    database_name: str = Field(
        default="app",
        pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$",
        description="Name of the database created in the instance (passed to functions as `DB_NAME`).",
    )
    master_username: str = Field(
        default="archkit_admin",
        pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$",
        description="Master user name stored with the generated password in the credentials secret.",
    )
    kms_key: str | None = Field(
        default=None, description="Key of `security.kms_keys` for storage encryption."
    )
    credentials_secret: str | None = Field(
        default=None,
        description=(
            "Key of `secrets` holding the master credentials (generated as `{username, password}` JSON); "
            "none generates a secret named `{project}-{environment}-db-credentials`."
        ),
    )
    backup_retention_days: int = Field(default=7, ge=0, le=35, description="Automated backup retention.")
    deletion_protection: bool = Field(default=True, description="Protect the database from deletion.")
    iam_authentication: bool = Field(default=True, description="Allow IAM database authentication.")
    require_tls: bool = Field(
        default=True,
        description=(
            "Refuse connections without TLS: a parameter group sets `rds.force_ssl` (PostgreSQL) or "
            "`require_secure_transport` (MySQL)."
        ),
    )
    auto_minor_version_upgrade: bool = Field(default=True, description="Apply minor engine upgrades.")
    security_group: str | None = Field(default=None, description="Security group key of the database.")

    def effective_port(self) -> int:
        return self.port if self.port is not None else RDS_DEFAULT_PORTS[self.engine]

    def log_exports(self) -> list[str]:
        return list(RDS_LOG_EXPORTS[self.engine])
