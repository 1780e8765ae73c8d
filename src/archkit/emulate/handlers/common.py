"""Helpers shared by the handlers: CloudFormation values in the shapes boto3 wants."""

from __future__ import annotations

import json
from typing import Any


def as_json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def key_id(value: str) -> str:
    """A KMS key id from a key ARN (aliases and ids pass through)."""
    return value.rsplit("/", 1)[-1] if value.startswith("arn:") and ":key/" in value else value


def as_bool(value: Any) -> bool:
    return str(value).lower() == "true"
