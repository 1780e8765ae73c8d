"""/invoices: a tenant's invoices (table `invoices`, PDFs under the tenant's prefix of `documents`)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from handlers.tenancy import HttpError, response, table_name, tenant_of, tenant_prefix


def _table() -> Any:
    import boto3

    return boto3.resource("dynamodb").Table(table_name("INVOICES_TABLE"))


def list_invoices(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GET /invoices: the caller's tenant only (the partition key is the tenant)."""
    try:
        tenant = tenant_of(event)
    except HttpError as exc:
        return response(exc.status, {"error": str(exc)})
    from boto3.dynamodb.conditions import Key

    items = _table().query(KeyConditionExpression=Key("tenant_id").eq(tenant), Limit=50).get("Items", [])
    return response(200, {"invoices": items})


def create_invoice(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """POST /invoices: the invoice and the key of its document under the tenant's prefix."""
    try:
        tenant = tenant_of(event)
        body = json.loads(event.get("body") or "{}")
        if not isinstance(body.get("amount"), (int, float)) or body["amount"] <= 0:
            raise HttpError(400, "amount must be a positive number")
    except HttpError as exc:
        return response(exc.status, {"error": str(exc)})
    except ValueError:
        return response(400, {"error": "the body is not JSON"})
    invoice_id = str(uuid.uuid4())
    item = {
        "tenant_id": tenant,
        "invoice_id": invoice_id,
        "status": "open",
        "amount": str(body["amount"]),
        "document": tenant_prefix(tenant, "invoices") + f"{invoice_id}.pdf",
    }
    _table().put_item(Item=item)
    return response(201, item)


def get_invoice(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GET /invoices/{id}."""
    try:
        tenant = tenant_of(event)
    except HttpError as exc:
        return response(exc.status, {"error": str(exc)})
    invoice_id = (event.get("pathParameters") or {}).get("id", "")
    item = _table().get_item(Key={"tenant_id": tenant, "invoice_id": invoice_id}).get("Item")
    return response(200, item) if item else response(404, {"error": "no such invoice"})
