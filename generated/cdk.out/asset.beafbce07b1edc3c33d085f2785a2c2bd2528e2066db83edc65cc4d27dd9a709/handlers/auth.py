"""POST /api/auth/login (proxy) and /api/auth/refresh (mapped integration): issue JWTs."""

from __future__ import annotations

import json
from typing import Any

from archkit_common.http import HttpError, error, json_body, response
from archkit_common.logging import log
from data import secrets, table
from logic import tokens
from logic.passwords import verify_password

JWT_SECRET = "JWT_SECRET_SECRET_ARN"


def _login(body: dict[str, Any]) -> dict[str, Any]:
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise HttpError(400, "username and password are required")
    record = table.get(username, table.PROFILE)
    if record is None or not verify_password(password, str(record.get("password_hash", ""))):
        raise HttpError(401, "invalid credentials")
    return tokens.issue(username, secrets.secret_value(JWT_SECRET))


def _refresh(body: dict[str, Any]) -> dict[str, Any]:
    token = body.get("refresh_token")
    if not isinstance(token, str):
        raise HttpError(400, "refresh_token is required")
    try:
        claims = tokens.decode(token, secrets.secret_value(JWT_SECRET), expected_type="refresh")
    except tokens.InvalidToken as exc:
        raise HttpError(401, f"invalid refresh token: {exc}") from None
    return tokens.issue(str(claims["sub"]), secrets.secret_value(JWT_SECRET))


def handler(event: dict[str, Any], context: Any = None) -> Any:
    # The mapped /refresh integration sends {"action": "refresh", "body": ..., "sourceIp": ...}
    # and returns the plain result; /login is a proxy integration.
    if event.get("action") == "refresh":
        body = (
            event.get("body")
            if isinstance(event.get("body"), dict)
            else json.loads(event.get("body") or "{}")
        )
        log("refresh", source_ip=event.get("sourceIp"))
        try:
            return _refresh(body)
        except HttpError as exc:
            return {"error": exc.message, "status": exc.status}
    try:
        return response(200, _login(json_body(event)))
    except HttpError as exc:
        return error(exc)
