"""Handlers of /api/users and /api/users/{id} (API Gateway proxy integration)."""

from __future__ import annotations

import uuid
from typing import Any

from archkit_common.http import HttpError, error, json_body, path_param, response
from archkit_common.logging import log
from logic import users

MAX_LIMIT = 100


def _limit(event: dict[str, Any]) -> int:
    raw = (event.get("queryStringParameters") or {}).get("limit", "25")
    if not str(raw).isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise HttpError(400, f"limit must be between 1 and {MAX_LIMIT}")
    return int(raw)


def get_user(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GET /api/users: list users."""
    try:
        return response(200, {"users": users.list_users(_limit(event))})
    except HttpError as exc:
        return error(exc)


def add_user(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """POST /api/users: create a user."""
    try:
        body = json_body(event)
        created = users.create_user(f"user-{uuid.uuid4().hex[:12]}", body)
        log("user created", user_id=created["user_id"], body=body)
        return response(201, created)
    except HttpError as exc:
        return error(exc)


def user_by_id(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GET, PUT and DELETE /api/users/{id}."""
    try:
        user_id = path_param(event, "id")
        method = event.get("httpMethod", "GET")
        if method == "GET":
            found = users.get_user(user_id)
            return response(200, found) if found else response(404, {"error": f"user {user_id} not found"})
        if method == "PUT":
            return response(200, users.update_user(user_id, json_body(event)))
        if method == "DELETE":
            users.delete_user(user_id)
            return response(204, {})
        raise HttpError(405, f"method {method} is not allowed")
    except HttpError as exc:
        return error(exc)
