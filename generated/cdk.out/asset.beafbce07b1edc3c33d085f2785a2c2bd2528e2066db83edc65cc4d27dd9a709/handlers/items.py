"""Handlers of /api/items (API key required; proxy integration)."""

from __future__ import annotations

from typing import Any

from archkit_common.http import HttpError, error, json_body, principal, response
from logic import items


def get_items(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GET /api/items?status=active&limit=25."""
    params = event.get("queryStringParameters") or {}
    try:
        limit = int(params.get("limit", "25"))
        if not 1 <= limit <= 100:
            raise HttpError(400, "limit must be between 1 and 100")
        return response(200, {"items": items.list_items(params.get("status", "active"), limit)})
    except ValueError as exc:
        return error(HttpError(400, str(exc)))
    except HttpError as exc:
        return error(exc)


def add_item(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """POST /api/items: the item belongs to the authenticated user."""
    try:
        return response(201, items.create_item(principal(event), json_body(event)))
    except HttpError as exc:
        return error(exc)
