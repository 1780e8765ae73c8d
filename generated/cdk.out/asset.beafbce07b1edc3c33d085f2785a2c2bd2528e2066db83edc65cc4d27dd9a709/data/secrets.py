"""Secrets by ARN (functions receive `<NAME>_SECRET_ARN`, never the value), cached per container."""

from __future__ import annotations

import functools
import os

from aws_clients import client


@functools.cache
def secret_value(env_var: str) -> str:
    arn = os.environ[env_var]
    return str(client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
