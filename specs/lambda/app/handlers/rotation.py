"""Secrets Manager rotation of the generated secrets.

Steps: createSecret → setSecret → testSecret → finishSecret.
"""

from __future__ import annotations

import json
from typing import Any

from archkit_common.logging import log
from aws_clients import client

PASSWORD_LENGTH = 32


def _new_value(current: str) -> str:
    password = client("secretsmanager").get_random_password(
        PasswordLength=PASSWORD_LENGTH, ExcludePunctuation=True
    )
    new = str(password["RandomPassword"])
    try:
        data = json.loads(current)
    except ValueError:
        return new
    if isinstance(data, dict) and "password" in data:  # RDS-style {username, password}
        data["password"] = new
        return json.dumps(data, sort_keys=True)
    return new


def handler(event: dict[str, Any], context: Any = None) -> None:
    sm = client("secretsmanager")
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    versions = sm.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    if token not in versions:
        raise ValueError(f"version {token} is not staged for rotation of {arn}")
    log("rotation step", step=step, secret=arn)
    if step == "createSecret":
        current = sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"]
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            sm.put_secret_value(
                SecretId=arn,
                ClientRequestToken=token,
                SecretString=_new_value(current),
                VersionStages=["AWSPENDING"],
            )
    elif step == "setSecret":
        return  # generated secrets are only read from Secrets Manager: nothing else to update
    elif step == "testSecret":
        sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    elif step == "finishSecret":
        current = next((v for v, stages in versions.items() if "AWSCURRENT" in stages), None)
        if current == token:
            return
        sm.update_secret_version_stage(
            SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current
        )
    else:
        raise ValueError(f"unknown rotation step {step}")
