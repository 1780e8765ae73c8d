"""Cost: budgets (moto has no Cost Explorer anomaly API: those types are skipped)."""

from __future__ import annotations

from typing import Any

from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::Budgets::Budget")
def budget(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    b = p["Budget"]
    body: dict[str, Any] = {
        "BudgetName": b.get("BudgetName") or ctx.physical_name(100),
        "BudgetType": b["BudgetType"],
        "TimeUnit": b["TimeUnit"],
    }
    if "BudgetLimit" in b:
        body["BudgetLimit"] = {
            "Amount": f"{float(b['BudgetLimit']['Amount']):g}",
            "Unit": b["BudgetLimit"]["Unit"],
        }
    for key in ("CostFilters", "FilterExpression", "Metrics"):
        if key in b:
            body[key] = b[key]
    notes = []
    for n in p.get("NotificationsWithSubscribers", []):
        note = dict(n["Notification"])
        note["Threshold"] = float(note["Threshold"])
        notes.append({"Notification": note, "Subscribers": n["Subscribers"]})
    client = ctx.client("budgets", "us-east-1")
    client.create_budget(AccountId=ctx.account, Budget=body, NotificationsWithSubscribers=notes)
    if p.get("ResourceTags"):
        ctx.gap(
            "ResourceTags", "moto's budgets backend keeps no tags (budgets are untaggable kinds in verify)"
        )
    return Created(body["BudgetName"])
