"""Business logic of items: validation, ids and timestamps."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from archkit_common.validation import optional_choice, require_str
from data import table

STATUSES = ("active", "pending", "archived")


def list_items(status: str, limit: int) -> list[dict[str, Any]]:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    return table.items_by_status(status, limit)


def create_item(user_id: str, body: dict[str, Any]) -> dict[str, Any]:
    data = body.get("data", {})
    record = {
        "user_id": user_id,
        "item_id": f"item-{uuid.uuid4().hex[:12]}",
        "name": require_str(body, "name", max_length=200),
        "status": optional_choice(body, "status", STATUSES, "pending"),
        "data": data if isinstance(data, dict) else {},
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    table.put(record)
    return record
