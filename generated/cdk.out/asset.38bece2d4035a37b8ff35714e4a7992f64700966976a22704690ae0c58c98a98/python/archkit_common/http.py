"""API Gateway proxy responses and request parsing."""

from __future__ import annotations

import json
import os
from typing import Any


class HttpError(Exception):
    """An error with an HTTP status that handlers turn into a JSON response."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def response(status: int, body: Any) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    origin = os.environ.get("CORS_ALLOW_ORIGIN")
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
    return {"statusCode": status, "headers": headers, "body": json.dumps(body, sort_keys=True, default=str)}


def error(exc: HttpError) -> dict[str, Any]:
    return response(exc.status, {"error": exc.message})


def json_body(event: dict[str, Any]) -> dict[str, Any]:
    raw = event.get("body")
    if raw is None:
        raise HttpError(400, "a JSON body is required")
    if isinstance(raw, dict):
        return raw
    try:
        body = json.loads(raw)
    except ValueError:
        raise HttpError(400, "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise HttpError(400, "the body must be a JSON object")
    return body


def path_param(event: dict[str, Any], name: str) -> str:
    value = (event.get("pathParameters") or {}).get(name)
    if not value:
        raise HttpError(400, f"missing path parameter {name}")
    return str(value)


def principal(event: dict[str, Any]) -> str:
    """The user id the authorizer put in the request context."""
    ctx = (event.get("requestContext") or {}).get("authorizer") or {}
    user = ctx.get("principalId") or ctx.get("user_id")
    if not user:
        raise HttpError(401, "no authenticated user")
    return str(user)
