"""Consumes the invoices table's stream into the tenant's audit trail (table `audit`)."""

from __future__ import annotations

import os
from typing import Any


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    import boto3

    table = boto3.resource("dynamodb").Table(os.environ["AUDIT_TABLE"])
    for record in event.get("Records", []):
        keys = record["dynamodb"]["Keys"]
        table.put_item(
            Item={
                "tenant_id": keys["tenant_id"]["S"],
                "event_id": record["eventID"],
                "change": record["eventName"],
            }
        )
    return {"batchItemFailures": []}
