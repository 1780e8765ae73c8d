"""IAM: roles, inline and managed policies, instance profiles."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_json
from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::IAM::Role")
def role(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    iam = ctx.client("iam")
    name = p.get("RoleName") or ctx.physical_name(64)
    kwargs: dict[str, Any] = {
        "RoleName": name,
        "AssumeRolePolicyDocument": as_json(p["AssumeRolePolicyDocument"]),
        "Path": p.get("Path", "/"),
    }
    for prop in ("Description", "PermissionsBoundary"):
        if prop in p:
            kwargs[prop] = p[prop]
    if "MaxSessionDuration" in p:
        kwargs["MaxSessionDuration"] = int(p["MaxSessionDuration"])
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    r = iam.create_role(**kwargs)["Role"]
    for arn in p.get("ManagedPolicyArns", []):
        iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    for pol in p.get("Policies", []):
        iam.put_role_policy(
            RoleName=name, PolicyName=pol["PolicyName"], PolicyDocument=as_json(pol["PolicyDocument"])
        )
    return Created(name, {"Arn": r["Arn"], "RoleId": r["RoleId"]})


def _role_name(value: str) -> str:
    return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value


@handler("AWS::IAM::Policy")
def inline_policy(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    iam = ctx.client("iam")
    doc = as_json(p["PolicyDocument"])
    for r in p.get("Roles", []):
        iam.put_role_policy(RoleName=_role_name(r), PolicyName=p["PolicyName"], PolicyDocument=doc)
    for u in p.get("Users", []):
        iam.put_user_policy(UserName=u, PolicyName=p["PolicyName"], PolicyDocument=doc)
    for g in p.get("Groups", []):
        iam.put_group_policy(GroupName=g, PolicyName=p["PolicyName"], PolicyDocument=doc)
    return Created(ctx.physical_name(128))


@handler("AWS::IAM::ManagedPolicy")
def managed_policy(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    iam = ctx.client("iam")
    name = p.get("ManagedPolicyName") or ctx.physical_name(128)
    arn = iam.create_policy(
        PolicyName=name,
        Path=p.get("Path", "/"),
        PolicyDocument=as_json(p["PolicyDocument"]),
        Description=p.get("Description", ""),
    )["Policy"]["Arn"]
    for r in p.get("Roles", []):
        iam.attach_role_policy(RoleName=_role_name(r), PolicyArn=arn)
    return Created(arn, {"PolicyArn": arn})


@handler("AWS::IAM::InstanceProfile")
def instance_profile(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    iam = ctx.client("iam")
    name = p.get("InstanceProfileName") or ctx.physical_name(128)
    profile = iam.create_instance_profile(InstanceProfileName=name, Path=p.get("Path", "/"))[
        "InstanceProfile"
    ]
    for role in p.get("Roles", []):
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
    return Created(name, {"Arn": profile["Arn"]})
