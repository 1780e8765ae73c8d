"""Business logic of users: validation and the records the data layer stores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from archkit_common.validation import EMAIL, require_str
from data import table

from logic.passwords import hash_password


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A user record without secrets."""
    return {k: v for k, v in record.items() if k not in ("password_hash", "item_id")}


def list_users(limit: int) -> list[dict[str, Any]]:
    return [public(r) for r in table.profiles(limit)]


def create_user(user_id: str, body: dict[str, Any]) -> dict[str, Any]:
    record = {
        "user_id": user_id,
        "item_id": table.PROFILE,
        "name": require_str(body, "name", max_length=100),
        "email": require_str(body, "email", max_length=254, pattern=EMAIL),
        "created_at": _now(),
    }
    if isinstance(body.get("password"), str):
        record["password_hash"] = hash_password(body["password"])
    table.put(record, must_not_exist=True)
    return public(record)


def get_user(user_id: str) -> dict[str, Any] | None:
    record = table.get(user_id, table.PROFILE)
    return public(record) if record else None


def update_user(user_id: str, body: dict[str, Any]) -> dict[str, Any]:
    current = table.get(user_id, table.PROFILE) or {
        "user_id": user_id,
        "item_id": table.PROFILE,
        "created_at": _now(),
    }
    current.update(
        name=require_str(body, "name", max_length=100),
        email=require_str(body, "email", max_length=254, pattern=EMAIL),
        updated_at=_now(),
    )
    table.put(current)
    return public(current)


def delete_user(user_id: str) -> None:
    table.delete(user_id, table.PROFILE)
