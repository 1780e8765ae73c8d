"""RDS: the DB instance by identifier (its description carries its tags) and its DB subnet group by name
(tags read separately). RDS keeps identifiers in lower case; a storage key that is the account's
`aws/rds` key reads as no customer key.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import TLS_PARAMETERS
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    physical_name,
)
from archkit.verify.kinds.base import (
    Kind,
    group_paths,
    identity,
    private_subnet_paths,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    is_not_found,
    paginate,
)
from archkit.verify.state import ResourceState, SortedSet

# --- state -----------------------------------------------------------------------------------------------


class DbSubnetGroupState(ResourceState):
    kind: ClassVar[str] = "db_subnet_group"
    description: str
    subnets: SortedSet = Field(description="Spec paths of its subnets.")


class DbInstanceState(ResourceState):
    """An RDS DB instance."""

    kind: ClassVar[str] = "db_instance"
    engine: str
    engine_version: str
    instance_class: str
    allocated_storage_gb: int
    storage_type: str
    multi_az: bool
    port: int
    database_name: str | None
    master_username: str
    storage_encrypted: bool
    kms_key: str | None = Field(description="Spec path of the storage encryption key.")
    subnet_group: str | None = Field(description="Spec path of its DB subnet group.")
    security_groups: SortedSet
    backup_retention_days: int
    deletion_protection: bool
    iam_authentication: bool
    require_tls: bool = Field(
        description="The parameter group refuses connections without TLS (`rds.force_ssl` / "
        "`require_secure_transport`)."
    )
    publicly_accessible: bool
    log_exports: SortedSet = Field(description="Logs exported to CloudWatch Logs.")
    auto_minor_version_upgrade: bool
    copy_tags_to_snapshot: bool


# --- desired ---------------------------------------------------------------------------------------------


def _database(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    rds = spec.rds
    base = identity(spec, res, STATES[res.type])
    if res.type == "AWS::RDS::DBSubnetGroup":
        return [
            DbSubnetGroupState(
                **base,
                description=f"Private subnets of {physical_name(spec, 'db')}",
                subnets=private_subnet_paths(spec),
            )
        ]
    return [
        DbInstanceState(
            **base,
            engine=rds.engine,
            engine_version=rds.engine_version,
            instance_class=rds.instance_class,
            allocated_storage_gb=rds.allocated_storage_gb,
            storage_type=rds.storage_type,
            multi_az=rds.multi_az,
            port=rds.effective_port(),
            database_name=rds.database_name,
            master_username=rds.master_username,
            storage_encrypted=True,
            kms_key=f"security.kms_keys.{rds.kms_key}" if rds.kms_key else None,
            subnet_group="rds.subnet_group",
            security_groups=group_paths(rds.security_group),
            backup_retention_days=rds.backup_retention_days,
            deletion_protection=rds.deletion_protection,
            iam_authentication=rds.iam_authentication,
            require_tls=rds.require_tls,
            publicly_accessible=False,
            log_exports=rds.log_exports(),
            auto_minor_version_upgrade=rds.auto_minor_version_upgrade,
            copy_tags_to_snapshot=True,
        )
    ]


# --- observed --------------------------------------------------------------------------------------------


DB_INSTANCE = "AWS::RDS::DBInstance"

DB_SUBNET_GROUP = "AWS::RDS::DBSubnetGroup"

GONE = frozenset({"deleting", "deleted", "failed"})
"""Instance states that no longer count as the database."""


def _tags(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in items or []}


def collect(ctx: Context) -> None:
    if not ctx.wanted(*STATES):
        return
    rds = ctx.aws.client("rds")
    group_paths = {s.physical_id.lower(): s.path for s in ctx.wanted(DB_SUBNET_GROUP)}

    def read_group(want: ResourceState) -> ResourceState | None:
        try:
            found = rds.describe_db_subnet_groups(DBSubnetGroupName=want.physical_id.lower())[
                "DBSubnetGroups"
            ]
        except Exception as exc:
            if is_not_found(exc, "DBSubnetGroupNotFoundFault"):
                return None
            raise
        if not found:
            return None
        group = found[0]
        u = Unreadable()
        arn = group.get("DBSubnetGroupArn", "")
        tags = u.read("tags", lambda: rds.list_tags_for_resource(ResourceName=arn)["TagList"]) if arn else []
        return DbSubnetGroupState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=group["DBSubnetGroupName"],
            arn=arn or None,
            ids=[arn] if arn else [],
            unreadable=u.reasons,
            tags=_tags(tags),
            description=group.get("DBSubnetGroupDescription", ""),
            subnets=[s["SubnetIdentifier"] for s in group.get("Subnets", [])],
        )

    def read_instance(want: ResourceState) -> ResourceState | None:
        try:
            found = rds.describe_db_instances(DBInstanceIdentifier=want.physical_id.lower())["DBInstances"]
        except Exception as exc:
            if is_not_found(exc, "DBInstanceNotFound", "DBInstanceNotFoundFault"):
                return None
            raise
        db = next((d for d in found if d.get("DBInstanceStatus", "available") not in GONE), None)
        if db is None:
            return None
        u = Unreadable()
        key = db.get("KmsKeyId") if db.get("StorageEncrypted") else None
        if key and key.rsplit("/", 1)[-1] in _aws_managed_rds_keys(ctx, u):
            key = None
        endpoint = db.get("Endpoint") or {}
        group_name = (db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")
        return DbInstanceState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=db["DBInstanceIdentifier"],
            arn=db.get("DBInstanceArn"),
            # The endpoint address: functions receive it as DB_HOST (`${rds.address}`).
            ids=[i for i in (db.get("DBInstanceArn"), endpoint.get("Address")) if i],
            unreadable=u.reasons,
            tags=_tags(db.get("TagList")),
            engine=db.get("Engine", ""),
            engine_version=db.get("EngineVersion", ""),
            instance_class=db.get("DBInstanceClass", ""),
            allocated_storage_gb=int(db.get("AllocatedStorage", 0)),
            storage_type=db.get("StorageType", ""),
            multi_az=bool(db.get("MultiAZ")),
            port=int(endpoint.get("Port") or db.get("DbInstancePort") or 0),
            database_name=db.get("DBName"),
            master_username=db.get("MasterUsername", ""),
            storage_encrypted=bool(db.get("StorageEncrypted")),
            kms_key=key,
            subnet_group=group_paths.get(group_name.lower(), group_name) if group_name else None,
            security_groups=[g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])],
            backup_retention_days=int(db.get("BackupRetentionPeriod", 0)),
            deletion_protection=bool(db.get("DeletionProtection")),
            iam_authentication=bool(db.get("IAMDatabaseAuthenticationEnabled")),
            require_tls=_requires_tls(rds, u, db),
            publicly_accessible=bool(db.get("PubliclyAccessible")),
            log_exports=db.get("EnabledCloudwatchLogsExports") or [],
            auto_minor_version_upgrade=bool(db.get("AutoMinorVersionUpgrade")),
            copy_tags_to_snapshot=bool(db.get("CopyTagsToSnapshot")),
        )

    ctx.each_desired(ctx.wanted(DB_SUBNET_GROUP), read_group)
    ctx.each_desired(ctx.wanted(DB_INSTANCE), read_instance)


def _requires_tls(rds: Any, unreadable: Unreadable, db: dict[str, Any]) -> bool:
    """Whether the instance's parameter group sets the engine's TLS-only parameter (a default group never
    does: reading it would list hundreds of engine defaults for nothing)."""
    wanted = TLS_PARAMETERS.get(str(db.get("Engine", "")).split("-")[0])
    groups = [g["DBParameterGroupName"] for g in db.get("DBParameterGroups", [])]
    if wanted is None or not groups or groups[0].startswith("default."):
        return False
    name, value = wanted
    parameters = (
        unreadable.read(
            "require_tls",
            lambda: paginate(rds, "describe_db_parameters", "Parameters", DBParameterGroupName=groups[0]),
            "DBParameterGroupNotFound",
        )
        or []
    )
    return any(
        p.get("ParameterName") == name and str(p.get("ParameterValue", "")).lower() == value.lower()
        for p in parameters
    )


def _aws_managed_rds_keys(ctx: Context, unreadable: Unreadable) -> set[str]:
    """Key ids of the account's AWS-managed `aws/rds` key (RDS reports its ARN like a customer key's)."""
    kms = ctx.aws.client("kms")
    aliases: list[dict[str, Any]] = (
        unreadable.read("kms_key", lambda: paginate(kms, "list_aliases", "Aliases")) or []
    )
    return {
        a["TargetKeyId"] for a in aliases if a.get("AliasName") == "alias/aws/rds" and a.get("TargetKeyId")
    }


STATES: dict[str, type[ResourceState]] = {
    "AWS::RDS::DBInstance": DbInstanceState,
    "AWS::RDS::DBSubnetGroup": DbSubnetGroupState,
}

KIND = Kind(
    states=STATES,
    desired=_database,
    collect=collect,
    reads={
        "rds": (
            "DescribeDBInstances",
            "DescribeDBParameters",
            "DescribeDBSubnetGroups",
            "ListTagsForResource",
        ),
        "kms": ("ListAliases",),
    },
    security=frozenset(
        {"encryption", "kms_key", "deletion_protection", "publicly_accessible", "require_tls"}
    ),
)
