"""KMS keys (by alias), IAM roles (by name) and Secrets Manager secrets (by name; values are never read)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from archkit.verify.collect.aws import paginate
from archkit.verify.collect.base import Context, Unreadable, is_not_found
from archkit.verify.state import KmsKeyState, ResourceState, RoleState, SecretState


def collect_kms(ctx: Context) -> None:
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


def trusted_services(document: Any) -> list[str]:
    if isinstance(document, str):
        document = json.loads(unquote(document))
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out: list[str] = []
    for st in statements:
        if st.get("Effect") != "Allow":
            continue
        service = st.get("Principal", {}).get("Service", [])
        out.extend([service] if isinstance(service, str) else service)
    return out


def collect_roles(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::IAM::Role")
    if not wanted:
        return
    iam = ctx.aws.client("iam")

    def read(want: ResourceState) -> ResourceState | None:
        try:
            role = iam.get_role(RoleName=want.physical_id)["Role"]
        except Exception as exc:
            if is_not_found(exc, "NoSuchEntity"):
                return None
            raise
        return RoleState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=role["RoleName"],
            arn=role["Arn"],
            ids=[role["Arn"]],
            tags={t["Key"]: t["Value"] for t in role.get("Tags", [])},
            description=role.get("Description", ""),
            assumed_by=trusted_services(role.get("AssumeRolePolicyDocument", {})),
        )

    ctx.each_desired(wanted, read)


_RATE_DAYS = re.compile(r"^rate\((\d+) days?\)$")


def rotation_days(rules: dict[str, Any]) -> int | None:
    """Days between rotations. AWS fills `AutomaticallyAfterDays` only after a successful rotation; a schedule
    set as `ScheduleExpression: rate(N days)` (CloudFormation's RotationSchedule) reads N before that."""
    if rules.get("AutomaticallyAfterDays"):
        return int(rules["AutomaticallyAfterDays"])
    match = _RATE_DAYS.match(str(rules.get("ScheduleExpression", "")).strip())
    return int(match.group(1)) if match else None


def collect_secrets(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::SecretsManager::Secret")
    if not wanted:
        return
    sm = ctx.aws.client("secretsmanager")
    prefix = f"{ctx.spec.project}-{ctx.spec.environment}-"
    listed = paginate(sm, "list_secrets", "SecretList", Filters=[{"Key": "name", "Values": [prefix]}])
    by_name = {s["Name"]: s for s in listed if not s.get("DeletedDate")}

    def read(want: ResourceState) -> ResourceState | None:
        s = by_name.get(want.physical_id)
        if s is None:
            return None
        enabled = bool(s.get("RotationEnabled"))
        return SecretState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=s["Name"],
            arn=s["ARN"],
            ids=[s["ARN"]],
            tags={t["Key"]: t["Value"] for t in s.get("Tags", [])},
            description=s.get("Description", ""),
            kms_key=None if s.get("KmsKeyId") in (None, "", "alias/aws/secretsmanager") else s["KmsKeyId"],
            rotation_enabled=enabled,
            rotation_days=rotation_days(s.get("RotationRules") or {}),
            rotation_function=s.get("RotationLambdaARN") or None,
        )

    ctx.each_desired(wanted, read)
