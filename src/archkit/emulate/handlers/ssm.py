"""SSM parameters."""

from __future__ import annotations

from typing import Any

from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::SSM::Parameter")
def ssm_parameter(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    name = p.get("Name") or f"/{ctx.physical_name(128)}"
    kwargs: dict[str, Any] = {"Name": name, "Value": str(p["Value"]), "Type": p.get("Type", "String")}
    if "Description" in p:
        kwargs["Description"] = p["Description"]
    if p.get("Tags"):
        kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in p["Tags"].items()]
    ctx.client("ssm").put_parameter(**kwargs)
    return Created(name, {"Type": kwargs["Type"], "Value": kwargs["Value"]})
