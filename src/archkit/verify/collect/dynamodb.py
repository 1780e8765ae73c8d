"""DynamoDB tables: DescribeTable, continuous backups, TTL and tags per table; auto scaling read once for all
tables; replicas from the table description, or (where an endpoint lacks global tables) by looking for the
same table in each replica region asked for."""

from __future__ import annotations

import functools
from typing import Any

from archkit.verify.collect.aws import paginate
from archkit.verify.collect.base import Context, Unreadable, is_not_found
from archkit.verify.state import IndexState, KeyState, ResourceState, ScalingState, TableState

_TYPES = {"S": "string", "N": "number", "B": "binary"}
_PROJECTION = {"ALL": "all", "KEYS_ONLY": "keys_only", "INCLUDE": "include"}


def _keys(schema: list[dict[str, str]], types: dict[str, str]) -> tuple[KeyState, KeyState | None]:
    hash_key = next(k for k in schema if k["KeyType"] == "HASH")["AttributeName"]
    range_key = next((k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"), None)
    pk = KeyState(name=hash_key, type=_TYPES.get(types.get(hash_key, "S"), "string"))
    sk = KeyState(name=range_key, type=_TYPES.get(types.get(range_key, "S"), "string")) if range_key else None
    return pk, sk


def _encryption(sse: dict[str, Any] | None, aws_managed_keys: set[str]) -> tuple[str, str | None]:
    """DynamoDB reports the key ARN for both AWS-managed (aws/dynamodb) and customer keys: tell them apart
    by the `alias/aws/*` aliases of the account."""
    if not sse or sse.get("Status") in (None, "DISABLED", "DISABLING"):
        return "aws_owned", None
    key = sse.get("KMSMasterKeyArn")
    if sse.get("SSEType") == "KMS" and key and key.rsplit("/", 1)[-1] not in aws_managed_keys:
        return "customer_managed", key
    return "aws_managed", None


def _aws_managed_keys(ctx: Context, unreadable: Unreadable) -> set[str]:
    kms = ctx.aws.client("kms")
    aliases = unreadable.read("encryption", lambda: paginate(kms, "list_aliases", "Aliases")) or []
    if "encryption" in unreadable.reasons:
        unreadable.reasons["kms_key"] = unreadable.reasons["encryption"]
    return {
        a["TargetKeyId"] for a in aliases if a["AliasName"].startswith("alias/aws/") and a.get("TargetKeyId")
    }


def _scaling(ctx: Context, unreadable: Unreadable) -> dict[str, dict[str, ScalingState]]:
    aas = ctx.aws.client("application-autoscaling")
    targets = unreadable.read(
        "auto_scaling",
        lambda: paginate(aas, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="dynamodb"),
    )
    policies = unreadable.read(
        "auto_scaling",
        lambda: paginate(aas, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="dynamodb"),
    )
    target_of: dict[tuple[str, str], float] = {}
    for p in policies or []:
        cfg = p.get("TargetTrackingScalingPolicyConfiguration") or {}
        if "TargetValue" in cfg:
            target_of[(p["ResourceId"], p["ScalableDimension"])] = cfg["TargetValue"]
    out: dict[str, dict[str, ScalingState]] = {}
    for t in targets or []:
        rid, dim = t["ResourceId"], t["ScalableDimension"]
        if not rid.startswith("table/") or "/index/" in rid or not dim.startswith("dynamodb:table:"):
            continue
        which = "read" if "Read" in dim else "write"
        out.setdefault(rid.split("/", 1)[1], {})[which] = ScalingState(
            min_capacity=t["MinCapacity"],
            max_capacity=t["MaxCapacity"],
            target_utilization=round(target_of.get((rid, dim), 0)),
        )
    return out


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")
    if not wanted:
        return
    ddb = ctx.aws.client("dynamodb")
    scaling_unreadable = Unreadable()
    scaling = _scaling(ctx, scaling_unreadable)
    aws_managed = _aws_managed_keys(ctx, scaling_unreadable)
    primary = ctx.aws.options.region

    def replica_present(region: str, name: str) -> bool:
        try:
            ctx.aws.client("dynamodb", region).describe_table(TableName=name)
            return True
        except Exception as exc:
            if is_not_found(exc, "ResourceNotFoundException"):
                return False
            raise

    def read(want: ResourceState) -> ResourceState | None:
        try:
            t = ddb.describe_table(TableName=want.physical_id)["Table"]
        except Exception as exc:
            if is_not_found(exc, "ResourceNotFoundException"):
                return None
            raise
        name, arn = t["TableName"], t["TableArn"]
        types = {a["AttributeName"]: a["AttributeType"] for a in t.get("AttributeDefinitions", [])}
        pk, sk = _keys(t["KeySchema"], types)
        billing = (t.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        on_demand = billing == "PAY_PER_REQUEST"
        indexes = {}
        for ix in t.get("GlobalSecondaryIndexes", []):
            ipk, isk = _keys(ix["KeySchema"], types)
            proj = ix.get("Projection", {})
            thr = ix.get("ProvisionedThroughput") or {}
            indexes[ix["IndexName"]] = IndexState(
                partition_key=ipk,
                sort_key=isk,
                projection=_PROJECTION.get(proj.get("ProjectionType", "ALL"), "all"),
                non_key_attributes=proj.get("NonKeyAttributes", []),
                read_capacity=None if on_demand else thr.get("ReadCapacityUnits"),
                write_capacity=None if on_demand else thr.get("WriteCapacityUnits"),
            )
        unreadable = Unreadable()
        unreadable.reasons.update(scaling_unreadable.reasons)
        backups = unreadable.read(
            "point_in_time_recovery", lambda: ddb.describe_continuous_backups(TableName=name)
        )
        pitr = (
            ((backups or {}).get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription")
            or {}
        ).get("PointInTimeRecoveryStatus") == "ENABLED"
        ttl = unreadable.read("ttl_attribute", lambda: ddb.describe_time_to_live(TableName=name))
        ttl_desc = (ttl or {}).get("TimeToLiveDescription") or {}
        ttl_attr = (
            ttl_desc.get("AttributeName")
            if ttl_desc.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
            else None
        )
        tags = (
            unreadable.read("tags", lambda: paginate(ddb, "list_tags_of_resource", "Tags", ResourceArn=arn))
            or []
        )
        encryption, kms_key = _encryption(t.get("SSEDescription"), aws_managed)
        stream = t.get("StreamSpecification") or {}
        replicas = {
            r["RegionName"] for r in t.get("Replicas", []) if r.get("ReplicaStatus", "ACTIVE") != "DELETING"
        }
        probe = set(getattr(want, "replicas", [])) | set(ctx.regions)
        for region in sorted(probe - replicas - {primary}):
            if unreadable.read("replicas", functools.partial(replica_present, region, name)):
                replicas.add(region)
        thr = t.get("ProvisionedThroughput") or {}
        return TableState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=name,
            arn=arn,
            ids=[arn, t.get("LatestStreamArn", "")],
            unreadable=unreadable.reasons,
            tags={x["Key"]: x["Value"] for x in tags},
            partition_key=pk,
            sort_key=sk,
            indexes=indexes,
            billing="on_demand" if on_demand else "provisioned",
            read_capacity=None if on_demand else thr.get("ReadCapacityUnits"),
            write_capacity=None if on_demand else thr.get("WriteCapacityUnits"),
            auto_scaling=scaling.get(name, {}),
            point_in_time_recovery=pitr,
            encryption=encryption,
            kms_key=kms_key,
            stream_view=stream.get("StreamViewType", "").lower() or None
            if stream.get("StreamEnabled")
            else None,
            ttl_attribute=ttl_attr,
            replicas=sorted(replicas - {primary}),
            deletion_protection=bool(t.get("DeletionProtectionEnabled")),
            table_class=(t.get("TableClassSummary") or {}).get("TableClass", "STANDARD"),
        )

    ctx.each_desired(wanted, read)
