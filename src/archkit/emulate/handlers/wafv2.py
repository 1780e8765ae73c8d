"""WAFv2 web ACLs, IP sets, logging configurations and web ACL associations."""

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
        "Rules": _api_names(p.get("Rules", [])),
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


def _api_names(node: Any) -> Any:
    """CloudFormation spells an IP set reference's ``Arn`` where the WAF API wants ``ARN``."""
    if isinstance(node, list):
        return [_api_names(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _api_names(v) for k, v in node.items()}
    reference = out.get("IPSetReferenceStatement")
    if isinstance(reference, dict) and "Arn" in reference:
        out["IPSetReferenceStatement"] = {("ARN" if k == "Arn" else k): v for k, v in reference.items()}
    return out


@handler("AWS::WAFv2::IPSet")
def ip_set(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "Name": p.get("Name") or ctx.physical_name(128),
        "Scope": p["Scope"],
        "IPAddressVersion": p["IPAddressVersion"],
        "Addresses": p.get("Addresses", []),
    }
    if "Description" in p:
        kwargs["Description"] = p["Description"]
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    s = ctx.client("wafv2").create_ip_set(**kwargs)["Summary"]
    return Created(f"{s['Name']}|{s['Id']}|{p['Scope']}", {"Arn": s["ARN"], "Id": s["Id"]})


@handler("AWS::WAFv2::LoggingConfiguration")
def logging_configuration(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    config: dict[str, Any] = {
        "ResourceArn": p["ResourceArn"],
        "LogDestinationConfigs": p["LogDestinationConfigs"],
    }
    if p.get("RedactedFields"):
        config["RedactedFields"] = p["RedactedFields"]
    ctx.client("wafv2").put_logging_configuration(LoggingConfiguration=config)
    return Created(p["ResourceArn"])
