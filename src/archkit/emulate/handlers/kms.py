"""KMS keys and aliases."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_bool, as_json, key_id
from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::KMS::Key")
def kms_key(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kms = ctx.client("kms")
    kwargs: dict[str, Any] = {
        "Description": p.get("Description", ""),
        "KeyUsage": p.get("KeyUsage", "ENCRYPT_DECRYPT"),
        "KeySpec": p.get("KeySpec", "SYMMETRIC_DEFAULT"),
        "MultiRegion": as_bool(p.get("MultiRegion", False)),
    }
    if "KeyPolicy" in p:
        kwargs["Policy"] = as_json(p["KeyPolicy"])
    if ctx.tags(p):
        kwargs["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in ctx.tags(p)]
    meta = kms.create_key(**kwargs)["KeyMetadata"]
    if as_bool(p.get("EnableKeyRotation", False)):
        kms.enable_key_rotation(KeyId=meta["KeyId"])
    if not as_bool(p.get("Enabled", True)):
        kms.disable_key(KeyId=meta["KeyId"])
    return Created(meta["KeyId"], {"Arn": meta["Arn"], "KeyId": meta["KeyId"]})


@handler("AWS::KMS::Alias")
def kms_alias(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("kms").create_alias(AliasName=p["AliasName"], TargetKeyId=key_id(p["TargetKeyId"]))
    return Created(p["AliasName"])
