"""Consumer of the main table's stream: audits changes (masked) and reports per-record failures."""

from __future__ import annotations

from typing import Any

from archkit_common.logging import log


def _plain(image: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB JSON ({"S": "x"}) to plain values, enough for auditing."""
    out: dict[str, Any] = {}
    for key, typed in image.items():
        ((kind, value),) = typed.items()
        out[key] = value if kind != "M" else _plain(value)
    return out


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            change = record["dynamodb"]
            log(
                "table change",
                event=record["eventName"],
                keys=_plain(change["Keys"]),
                new=_plain(change.get("NewImage", {})),
                old=_plain(change.get("OldImage", {})),
            )
        except (KeyError, ValueError) as exc:
            log("bad stream record", error=str(exc))
            failures.append({"itemIdentifier": record.get("dynamodb", {}).get("SequenceNumber", "")})
    # Partial batch response: only the failed records are retried (report_batch_item_failures).
    return {"batchItemFailures": failures}
