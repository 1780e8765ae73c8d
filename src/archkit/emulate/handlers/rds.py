"""RDS: subnet groups and database instances."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_bool
from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::RDS::DBSubnetGroup")
def db_subnet_group(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    name = (p.get("DBSubnetGroupName") or ctx.physical_name(255, lowercase=True)).lower()
    ctx.client("rds").create_db_subnet_group(
        DBSubnetGroupName=name,
        DBSubnetGroupDescription=p["DBSubnetGroupDescription"],
        SubnetIds=p["SubnetIds"],
        Tags=ctx.tags(p),
    )
    return Created(name)


@handler("AWS::RDS::DBParameterGroup")
def db_parameter_group(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    rds = ctx.client("rds")
    name = (p.get("DBParameterGroupName") or ctx.physical_name(255, lowercase=True)).lower()
    rds.create_db_parameter_group(
        DBParameterGroupName=name,
        DBParameterGroupFamily=p["Family"],
        Description=p["Description"],
        Tags=ctx.tags(p),
    )
    parameters = [
        {"ParameterName": k, "ParameterValue": str(v), "ApplyMethod": "pending-reboot"}
        for k, v in (p.get("Parameters") or {}).items()
    ]
    if parameters:
        rds.modify_db_parameter_group(DBParameterGroupName=name, Parameters=parameters)
    return Created(name)


_DB_PROPS = {
    "Engine": "Engine",
    "EngineVersion": "EngineVersion",
    "DBInstanceClass": "DBInstanceClass",
    "StorageType": "StorageType",
    "DBName": "DBName",
    "MasterUsername": "MasterUsername",
    "MasterUserPassword": "MasterUserPassword",
    "KmsKeyId": "KmsKeyId",
    "DBSubnetGroupName": "DBSubnetGroupName",
    "DBParameterGroupName": "DBParameterGroupName",
    "VPCSecurityGroups": "VpcSecurityGroupIds",
    "EnableCloudwatchLogsExports": "EnableCloudwatchLogsExports",
}


_DB_FLAGS = (
    "MultiAZ",
    "StorageEncrypted",
    "DeletionProtection",
    "EnableIAMDatabaseAuthentication",
    "PubliclyAccessible",
    "AutoMinorVersionUpgrade",
    "CopyTagsToSnapshot",
)


@handler("AWS::RDS::DBInstance")
def db_instance(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ident = (p.get("DBInstanceIdentifier") or ctx.physical_name(63, lowercase=True)).lower()
    kwargs: dict[str, Any] = {"DBInstanceIdentifier": ident, "Tags": ctx.tags(p)}
    for prop, arg in _DB_PROPS.items():
        if prop in p:
            kwargs[arg] = p[prop]
    for flag in _DB_FLAGS:
        if flag in p:
            kwargs[flag] = as_bool(p[flag])
    for number in ("AllocatedStorage", "BackupRetentionPeriod", "Port"):
        if number in p:
            kwargs[number] = int(p[number])
    for group in ("DBSubnetGroupName", "DBParameterGroupName"):
        if group in kwargs:
            kwargs[group] = kwargs[group].lower()
    db = ctx.client("rds").create_db_instance(**kwargs)["DBInstance"]
    endpoint = db.get("Endpoint") or {}
    return Created(
        ident,
        {
            "Endpoint.Address": endpoint.get("Address", ""),
            "Endpoint.Port": str(endpoint.get("Port", "")),
            "DBInstanceArn": db["DBInstanceArn"],
        },
    )
