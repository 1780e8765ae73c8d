"""Secrets Manager secrets: metadata (one ListSecrets) and each secret's resource policy, never values."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import ROTATED_SECRET_DENIES
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    physical_name,
)
from archkit.verify.kinds.base import (
    DATABASE_SECRET_PATH,
    Kind,
    identity,
    kms_key_path,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    paginate,
)
from archkit.verify.state import (
    OWN_ACCOUNT_PRINCIPAL,
    ResourcePolicyStatementState,
    ResourceState,
    arn_account,
    resource_policy_statements,
    statement_key,
)


class SecretState(ResourceState):
    """A secret's metadata. Values are never read."""

    kind: ClassVar[str] = "secret"
    description: str
    kms_key: str | None = Field(description="Spec path of the customer key; None for aws/secretsmanager.")
    rotation_enabled: bool
    rotation_days: int | None
    rotation_function: str | None = Field(description="Spec path of the rotation function.")
    resource_policy: dict[str, ResourcePolicyStatementState] = Field(
        default_factory=dict,
        description="The secret's resource policy, `<Effect> <principal>` -> actions and condition keys.",
    )


def secret_policy(rotated: bool) -> dict[str, ResourcePolicyStatementState]:
    """The resource policy CDK deploys on a secret: a rotated one denies its deletion to the account."""
    if not rotated:
        return {}
    return {
        statement_key("Deny", OWN_ACCOUNT_PRINCIPAL): ResourcePolicyStatementState(
            actions=list(ROTATED_SECRET_DENIES), conditions=[]
        )
    }


def database_secret_description(spec: ArchSpec) -> str:
    return f"Master credentials of {physical_name(spec, 'db')}"


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    base = identity(spec, res, SecretState)
    if res.path == DATABASE_SECRET_PATH:
        return [
            SecretState(
                **base,
                description=database_secret_description(spec),
                kms_key=kms_key_path(spec.rds.kms_key),
                rotation_enabled=False,
                rotation_days=None,
                rotation_function=None,
            )
        ]
    s = spec.secrets[res.path.split(".")[-1]]
    return [
        SecretState(
            **base,
            description=s.description,
            kms_key=kms_key_path(s.kms_key),
            rotation_enabled=s.rotation is not None,
            rotation_days=s.rotation.days if s.rotation else None,
            rotation_function=f"functions.{s.rotation.function}" if s.rotation else None,
            resource_policy=secret_policy(s.rotation is not None),
        )
    ]


_RATE_DAYS = re.compile(r"^rate\((\d+) days?\)$")


def rotation_days(rules: dict[str, Any]) -> int | None:
    """Days between rotations. AWS fills `AutomaticallyAfterDays` only after a successful rotation; a schedule
    set as `ScheduleExpression: rate(N days)` (CloudFormation's RotationSchedule) reads N before that."""
    if rules.get("AutomaticallyAfterDays"):
        return int(rules["AutomaticallyAfterDays"])
    match = _RATE_DAYS.match(str(rules.get("ScheduleExpression", "")).strip())
    return int(match.group(1)) if match else None


def collect(ctx: Context) -> None:
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
        unreadable = Unreadable()
        policy = unreadable.read(
            "resource_policy", lambda: sm.get_resource_policy(SecretId=s["ARN"]).get("ResourcePolicy")
        )
        return SecretState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=s["Name"],
            arn=s["ARN"],
            ids=[s["ARN"]],
            unreadable=unreadable.reasons,
            tags={t["Key"]: t["Value"] for t in s.get("Tags", [])},
            description=s.get("Description", ""),
            kms_key=None if s.get("KmsKeyId") in (None, "", "alias/aws/secretsmanager") else s["KmsKeyId"],
            rotation_enabled=enabled,
            rotation_days=rotation_days(s.get("RotationRules") or {}),
            rotation_function=s.get("RotationLambdaARN") or None,
            resource_policy=resource_policy_statements(policy, arn_account(s["ARN"])),
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::SecretsManager::Secret": SecretState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"secretsmanager": ("GetResourcePolicy", "ListSecrets")},
    security=frozenset({"kms_key", "rotation_enabled", "resource_policy"}),
)
