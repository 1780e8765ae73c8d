"""Data access layer: the main table (partition key user_id, sort key item_id, GSI by_status)."""

from __future__ import annotations

import os
from typing import Any

from aws_clients import resource
from boto3.dynamodb.conditions import Attr, Key

PROFILE = "PROFILE"
"""Sort key of a user's profile record; items use their own id."""


def _table() -> Any:
    return resource("dynamodb").Table(os.environ["TABLE_NAME"])


def put(record: dict[str, Any], *, must_not_exist: bool = False) -> None:
    kwargs: dict[str, Any] = {"Item": record}
    if must_not_exist:
        kwargs["ConditionExpression"] = "attribute_not_exists(user_id)"
    _table().put_item(**kwargs)


def get(user_id: str, item_id: str) -> dict[str, Any] | None:
    return _table().get_item(Key={"user_id": user_id, "item_id": item_id}).get("Item")


def delete(user_id: str, item_id: str) -> None:
    _table().delete_item(Key={"user_id": user_id, "item_id": item_id})


def profiles(limit: int) -> list[dict[str, Any]]:
    result = _table().scan(FilterExpression=Attr("item_id").eq(PROFILE), Limit=limit)
    return list(result.get("Items", []))


def items_by_status(status: str, limit: int) -> list[dict[str, Any]]:
    result = _table().query(
        IndexName="by_status",
        KeyConditionExpression=Key("status").eq(status),
        Limit=limit,
        ScanIndexForward=False,
    )
    return list(result.get("Items", []))
