"""Route 53 hosted zones and records."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_bool
from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::Route53::HostedZone")
def hosted_zone(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    r53 = ctx.client("route53")
    kwargs: dict[str, Any] = {"Name": p["Name"], "CallerReference": f"{ctx.stack}-{ctx.logical_id}"}
    if "HostedZoneConfig" in p:
        kwargs["HostedZoneConfig"] = {"Comment": p["HostedZoneConfig"].get("Comment", "")}
    if p.get("VPCs"):
        vpc = p["VPCs"][0]
        kwargs["VPC"] = {"VPCRegion": vpc["VPCRegion"], "VPCId": vpc["VPCId"]}
    z = r53.create_hosted_zone(**kwargs)
    zid = z["HostedZone"]["Id"].rsplit("/", 1)[-1]
    if ctx.tags(p, "HostedZoneTags"):
        r53.change_tags_for_resource(
            ResourceType="hostedzone", ResourceId=zid, AddTags=ctx.tags(p, "HostedZoneTags")
        )
    return Created(zid, {"Id": zid, "NameServers": z["DelegationSet"]["NameServers"]})


@handler("AWS::Route53::RecordSet")
def record_set(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    r53 = ctx.client("route53")
    zone = p.get("HostedZoneId")
    if zone is None:
        zones = r53.list_hosted_zones_by_name(DNSName=p["HostedZoneName"])["HostedZones"]
        zone = zones[0]["Id"].rsplit("/", 1)[-1]
    record: dict[str, Any] = {"Name": p["Name"], "Type": p["Type"]}
    if "AliasTarget" in p:
        a = p["AliasTarget"]
        record["AliasTarget"] = {
            "HostedZoneId": a["HostedZoneId"],
            "DNSName": a["DNSName"],
            "EvaluateTargetHealth": as_bool(a.get("EvaluateTargetHealth", False)),
        }
    else:
        record["TTL"] = int(p["TTL"])
        record["ResourceRecords"] = [{"Value": v} for v in p["ResourceRecords"]]
    r53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Comment": p.get("Comment", ""),
            "Changes": [{"Action": "CREATE", "ResourceRecordSet": record}],
        },
    )
    return Created(p["Name"])
