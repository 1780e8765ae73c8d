"""IAM roles declared in `security.roles`: GetRole (trust policy, tags) per role."""

from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import unquote

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    is_not_found,
)
from archkit.verify.state import ResourceState, SortedSet


class RoleState(ResourceState):
    kind: ClassVar[str] = "role"
    description: str
    assumed_by: SortedSet = Field(description="Service principals in the trust policy.")


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    r = spec.security.roles[res.path.split(".")[-1]]
    return [RoleState(**identity(spec, res, RoleState), description=r.description, assumed_by=[r.assumed_by])]


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


def collect(ctx: Context) -> None:
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


STATES: dict[str, type[ResourceState]] = {
    "AWS::IAM::Role": RoleState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"iam": ("GetRole",)},
)
