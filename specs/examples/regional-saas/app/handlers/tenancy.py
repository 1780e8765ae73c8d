"""The tenant of a request, set by the authorizer, and the per-tenant key prefixes derived from it."""

from __future__ import annotations

import json
import os
import re
from typing import Any

_TENANT = re.compile(r"^[a-z0-9-]{3,40}$")


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def tenant_of(event: dict[str, Any]) -> str:
    """The tenant id the authorizer put in the request context (never one the client sends)."""
    tenant = ((event.get("requestContext") or {}).get("authorizer") or {}).get("tenant_id", "")
    if not _TENANT.match(tenant):
        raise HttpError(403, "no tenant")
    return str(tenant)


def tenant_prefix(tenant: str, kind: str) -> str:
    """``tenants/<tenant>/<kind>/``: every object of a tenant lives under its own prefix."""
    return f"tenants/{tenant}/{kind}/"


def response(status: int, body: Any) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def table_name(variable: str) -> str:
    return os.environ[variable]
