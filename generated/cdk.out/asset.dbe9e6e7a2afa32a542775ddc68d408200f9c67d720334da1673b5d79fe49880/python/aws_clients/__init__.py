"""AWS SDK layer: one place that creates boto3 clients with the retry and timeout settings every
function shares. The Lambda runtime's boto3 is used; a build step may vendor a newer one beside this."""

from __future__ import annotations

import functools
import os
from typing import Any

import boto3
from botocore.config import Config

CONFIG = Config(
    retries={"max_attempts": 3, "mode": "standard"},
    connect_timeout=2,
    read_timeout=5,
    user_agent_extra=f"shop/{os.environ.get('ENVIRONMENT', 'unknown')}",
)


@functools.cache
def client(service: str) -> Any:
    return boto3.client(service, config=CONFIG)


@functools.cache
def resource(service: str) -> Any:
    return boto3.resource(service, config=CONFIG)
