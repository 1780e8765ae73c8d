"""Secrets Manager: secrets, resource policies, rotation, database attachments."""

from __future__ import annotations

import hashlib
import json
import re
import string
from typing import Any

from archkit.emulate.handlers.common import as_bool, as_json
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler


def _generated_secret(ctx: ResourceContext, g: dict[str, Any]) -> str:
    """A value as GenerateSecretString would make it (deterministic here: tests never read it)."""
    alphabet = string.ascii_letters + string.digits
    if not as_bool(g.get("ExcludePunctuation", False)):
        alphabet += "!#$%&()*+,-.:;<=>?@[]^_{|}~"
    for ch in g.get("ExcludeCharacters", ""):
        alphabet = alphabet.replace(ch, "")
    length = int(g.get("PasswordLength", 32))
    seed = hashlib.sha256(f"{ctx.stack}/{ctx.logical_id}".encode()).digest()
    value = "".join(alphabet[b % len(alphabet)] for b in (seed * (length // len(seed) + 1))[:length])
    if "SecretStringTemplate" in g:
        doc = json.loads(g["SecretStringTemplate"])
        doc[g["GenerateStringKey"]] = value
        return json.dumps(doc)
    return value


@handler("AWS::SecretsManager::Secret")
def secret(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    sm = ctx.client("secretsmanager")
    kwargs: dict[str, Any] = {"Name": p.get("Name") or ctx.physical_name(512)}
    if "Description" in p:
        kwargs["Description"] = p["Description"]
    if "KmsKeyId" in p:
        kwargs["KmsKeyId"] = p["KmsKeyId"]
    if "SecretString" in p:
        kwargs["SecretString"] = p["SecretString"]
    elif "GenerateSecretString" in p:
        kwargs["SecretString"] = _generated_secret(ctx, p["GenerateSecretString"])
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    if p.get("ReplicaRegions"):
        kwargs["AddReplicaRegions"] = [
            {"Region": r["Region"], **({"KmsKeyId": r["KmsKeyId"]} if "KmsKeyId" in r else {})}
            for r in p["ReplicaRegions"]
        ]
    arn = sm.create_secret(**kwargs)["ARN"]
    return Created(arn, {"Id": arn})


@handler("AWS::SecretsManager::ResourcePolicy")
def secret_policy(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("secretsmanager").put_resource_policy(
        SecretId=p["SecretId"],
        ResourcePolicy=as_json(p["ResourcePolicy"]),
        BlockPublicPolicy=as_bool(p.get("BlockPublicPolicy", True)),
    )
    return Created(p["SecretId"])


_RATE_DAYS = re.compile(r"^rate\((\d+) days?\)$")


@handler("AWS::SecretsManager::RotationSchedule")
def rotation_schedule(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    if "HostedRotationLambda" in p:
        raise DeployError("hosted rotation (a nested SAR application) is not supported")
    rules = dict(p.get("RotationRules") or {})
    expression = rules.get("ScheduleExpression", "")
    match = _RATE_DAYS.match(expression)
    if match and "AutomaticallyAfterDays" not in rules:
        # moto ignores ScheduleExpression (it then reports rotation as disabled); `rate(N days)` is the same
        # schedule as AutomaticallyAfterDays=N, which moto understands.
        rules = {"AutomaticallyAfterDays": int(match.group(1))}
        ctx.gap(
            "RotationRules.ScheduleExpression",
            f"moto ignores {expression!r}; applied as AutomaticallyAfterDays",
        )
    elif expression:
        raise DeployError(f"schedule {expression!r} cannot be applied to the emulator faithfully")
    if "AutomaticallyAfterDays" in rules:
        rules["AutomaticallyAfterDays"] = int(rules["AutomaticallyAfterDays"])
    ctx.client("secretsmanager").rotate_secret(
        SecretId=p["SecretId"],
        RotationLambdaARN=p["RotationLambdaARN"],
        RotationRules=rules,
        RotateImmediately=as_bool(p.get("RotateImmediatelyOnUpdate", True)),
    )
    return Created(p["SecretId"])


@handler("AWS::SecretsManager::SecretTargetAttachment")
def secret_target_attachment(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    """Adds the database's connection details to the secret's JSON, as CloudFormation does."""
    sm, rds = ctx.client("secretsmanager"), ctx.client("rds")
    db = rds.describe_db_instances(DBInstanceIdentifier=p["TargetId"])["DBInstances"][0]
    value = json.loads(sm.get_secret_value(SecretId=p["SecretId"])["SecretString"])
    value.update(
        engine=db["Engine"],
        host=db["Endpoint"]["Address"],
        port=db["Endpoint"]["Port"],
        dbInstanceIdentifier=p["TargetId"],
    )
    sm.put_secret_value(SecretId=p["SecretId"], SecretString=json.dumps(value))
    return Created(p["SecretId"])
