"""DynamoDB tables: DescribeTable, continuous backups, TTL and tags per table; auto scaling read once for all
tables; replicas from the table description, or (where an endpoint lacks global tables) by looking for the
same table in each replica region asked for.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.data import TableSpec
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    is_not_found,
    paginate,
)
from archkit.verify.state import ResourceState, SortedSet, StateModel

# --- state -----------------------------------------------------------------------------------------------


class KeyState(StateModel):
    name: str
    type: Literal["string", "number", "binary"]


class IndexState(StateModel):
    partition_key: KeyState
    sort_key: KeyState | None
    projection: Literal["all", "keys_only", "include"]
    non_key_attributes: SortedSet
    read_capacity: int | None
    write_capacity: int | None


class ScalingState(StateModel):
    min_capacity: int
    max_capacity: int
    target_utilization: int


class TableState(ResourceState):
    kind: ClassVar[str] = "table"
    partition_key: KeyState
    sort_key: KeyState | None
    indexes: dict[str, IndexState]
    billing: Literal["on_demand", "provisioned"]
    read_capacity: int | None = Field(description="None for on-demand tables.")
    write_capacity: int | None = Field(description="None for on-demand tables.")
    auto_scaling: dict[str, ScalingState] = Field(
        description="`read` / `write` -> target tracking; empty if none."
    )
    point_in_time_recovery: bool
    encryption: Literal["aws_owned", "aws_managed", "customer_managed"]
    kms_key: str | None = Field(description="Spec path of the customer key (customer_managed only).")
    stream_view: Literal["keys_only", "new_image", "old_image", "new_and_old_images"] | None
    ttl_attribute: str | None
    replicas: SortedSet = Field(description="Regions holding a replica, besides the primary.")
    deletion_protection: bool
    table_class: str


# --- desired ---------------------------------------------------------------------------------------------


def _key(spec_key: object) -> KeyState:
    return KeyState.model_validate(spec_key, from_attributes=True)


def _table(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    t: TableSpec = spec.tables[res.path.split(".", 1)[1]]
    provisioned = t.billing == "provisioned"
    indexes = {
        name: IndexState(
            partition_key=_key(ix.partition_key),
            sort_key=_key(ix.sort_key) if ix.sort_key else None,
            projection=ix.projection,
            non_key_attributes=list(ix.non_key_attributes) if ix.projection == "include" else [],
            read_capacity=(ix.read_capacity or t.read_capacity) if provisioned else None,
            write_capacity=(ix.write_capacity or t.write_capacity) if provisioned else None,
        )
        for name, ix in t.indexes.items()
    }
    scaling: dict[str, ScalingState] = {}
    if provisioned and t.auto_scaling is not None:
        one = ScalingState.model_validate(t.auto_scaling, from_attributes=True)
        scaling = {"read": one, "write": one}
    return [
        TableState(
            **identity(spec, res, STATES[res.type]),
            partition_key=_key(t.partition_key),
            sort_key=_key(t.sort_key) if t.sort_key else None,
            indexes=indexes,
            billing=t.billing,
            read_capacity=t.read_capacity if provisioned else None,
            write_capacity=t.write_capacity if provisioned else None,
            auto_scaling=scaling,
            point_in_time_recovery=t.point_in_time_recovery,
            encryption=t.encryption,
            kms_key=f"security.kms_keys.{t.kms_key}"
            if t.encryption == "customer_managed" and t.kms_key
            else None,
            stream_view=t.stream.view if t.stream else None,
            ttl_attribute=t.ttl_attribute,
            replicas=[r for r in t.replicas if r != spec.region],
            deletion_protection=t.deletion_protection,
            table_class=t.table_class,
        )
    ]


# --- observed --------------------------------------------------------------------------------------------


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
    wanted = ctx.wanted(*STATES)
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


STATES: dict[str, type[ResourceState]] = {
    "AWS::DynamoDB::Table": TableState,
    "AWS::DynamoDB::GlobalTable": TableState,
}

KIND = Kind(
    states=STATES,
    desired=_table,
    collect=collect,
    reads={
        "dynamodb": (
            "DescribeTable",
            "DescribeContinuousBackups",
            "DescribeTimeToLive",
            "ListTagsOfResource",
        ),
        "application-autoscaling": ("DescribeScalableTargets", "DescribeScalingPolicies"),
        "kms": ("ListAliases",),
    },
    security=frozenset({"encryption", "kms_key", "point_in_time_recovery", "deletion_protection"}),
)
