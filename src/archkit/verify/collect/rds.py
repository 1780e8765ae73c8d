"""RDS: the DB instance by identifier (its description carries its tags) and its DB subnet group by name
(tags read separately). RDS keeps identifiers in lower case; a storage key that is the account's
`aws/rds` key reads as no customer key."""

from __future__ import annotations

from typing import Any

from archkit.verify.collect.aws import paginate
from archkit.verify.collect.base import Context, Unreadable, is_not_found
from archkit.verify.state import DbInstanceState, DbSubnetGroupState, ResourceState

DB_INSTANCE = "AWS::RDS::DBInstance"
DB_SUBNET_GROUP = "AWS::RDS::DBSubnetGroup"
TYPES = (DB_INSTANCE, DB_SUBNET_GROUP)

GONE = frozenset({"deleting", "deleted", "failed"})
"""Instance states that no longer count as the database."""


def _tags(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in items or []}


def collect(ctx: Context) -> None:
    if not ctx.wanted(*TYPES):
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
            publicly_accessible=bool(db.get("PubliclyAccessible")),
            log_exports=db.get("EnabledCloudwatchLogsExports") or [],
            auto_minor_version_upgrade=bool(db.get("AutoMinorVersionUpgrade")),
            copy_tags_to_snapshot=bool(db.get("CopyTagsToSnapshot")),
        )

    ctx.each_desired(ctx.wanted(DB_SUBNET_GROUP), read_group)
    ctx.each_desired(ctx.wanted(DB_INSTANCE), read_instance)


def _aws_managed_rds_keys(ctx: Context, unreadable: Unreadable) -> set[str]:
    """Key ids of the account's AWS-managed `aws/rds` key (RDS reports its ARN like a customer key's)."""
    kms = ctx.aws.client("kms")
    aliases: list[dict[str, Any]] = (
        unreadable.read("kms_key", lambda: paginate(kms, "list_aliases", "Aliases")) or []
    )
    return {
        a["TargetKeyId"] for a in aliases if a.get("AliasName") == "alias/aws/rds" and a.get("TargetKeyId")
    }
