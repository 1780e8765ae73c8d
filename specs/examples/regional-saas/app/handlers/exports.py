"""POST /exports: a CSV of the tenant's invoices, written under the tenant's prefix of `exports`."""

from __future__ import annotations

import os
from typing import Any

from handlers.tenancy import HttpError, response, tenant_of, tenant_prefix


def export_invoices(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    try:
        tenant = tenant_of(event)
    except HttpError as exc:
        return response(exc.status, {"error": str(exc)})
    import boto3

    key = tenant_prefix(tenant, "csv") + "invoices.csv"
    boto3.client("s3").put_object(Bucket=os.environ["EXPORTS_BUCKET"], Key=key, Body=b"invoice_id,amount\n")
    return response(202, {"key": key})
