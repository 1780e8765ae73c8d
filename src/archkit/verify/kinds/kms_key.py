"""KMS customer keys: DescribeKey, rotation status and tags per key, found by alias."""

from __future__ import annotations

from typing import ClassVar

from archkit.spec import ArchSpec
from archkit.spec.conventions import WAF_LOGGING_PATH, waf_logs_key_description
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    paginate,
)
from archkit.verify.state import ResourceState


class KmsKeyState(ResourceState):
    kind: ClassVar[str] = "kms_key"
    description: str
    enabled: bool
    rotation: bool


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    parent, key = res.path.rsplit(".", 1)
    if parent == WAF_LOGGING_PATH:  # a web ACL's log key: rotated, described after its ACL
        description, rotation = waf_logs_key_description(spec, key), True
    else:
        k = spec.security.kms_keys[key]
        description, rotation = k.description, k.rotation
    return [
        KmsKeyState(
            **identity(spec, res, KmsKeyState), description=description, enabled=True, rotation=rotation
        )
    ]


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::KMS::Key")
    if not wanted:
        return
    kms = ctx.aws.client("kms")
    aliases = {a["AliasName"]: a for a in paginate(kms, "list_aliases", "Aliases") if a.get("TargetKeyId")}

    def read(want: ResourceState) -> ResourceState | None:
        alias = aliases.get(want.physical_id)
        if alias is None:
            return None
        key_id = alias["TargetKeyId"]
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
            return None
        unreadable = Unreadable()
        rotation = unreadable.read(
            "rotation", lambda: kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]
        )
        tags = (
            unreadable.read("tags", lambda: paginate(kms, "list_resource_tags", "Tags", KeyId=key_id)) or []
        )
        return KmsKeyState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=key_id,
            arn=meta["Arn"],
            ids=[key_id, meta["Arn"], alias["AliasName"], alias.get("AliasArn", "")],
            unreadable=unreadable.reasons,
            tags={t["TagKey"]: t["TagValue"] for t in tags},
            description=meta.get("Description", ""),
            enabled=meta.get("KeyState") == "Enabled",
            rotation=bool(rotation),
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::KMS::Key": KmsKeyState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"kms": ("ListAliases", "DescribeKey", "GetKeyRotationStatus", "ListResourceTags")},
    security=frozenset({"rotation"}),
)
