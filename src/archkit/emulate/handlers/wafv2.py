"""WAFv2 web ACLs and their associations."""

from __future__ import annotations

from typing import Any

from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::WAFv2::WebACL")
def web_acl(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "Name": p.get("Name") or ctx.physical_name(128),
        "Scope": p["Scope"],
        "DefaultAction": p["DefaultAction"],
        "VisibilityConfig": p["VisibilityConfig"],
        "Rules": p.get("Rules", []),
    }
    if "Description" in p:
        kwargs["Description"] = p["Description"]
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    s = ctx.client("wafv2").create_web_acl(**kwargs)["Summary"]
    return Created(f"{s['Name']}|{s['Id']}|{p['Scope']}", {"Arn": s["ARN"], "Id": s["Id"]})


@handler("AWS::WAFv2::WebACLAssociation")
def web_acl_association(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("wafv2").associate_web_acl(WebACLArn=p["WebACLArn"], ResourceArn=p["ResourceArn"])
    return Created(f"{p['ResourceArn']}|{p['WebACLArn']}")
