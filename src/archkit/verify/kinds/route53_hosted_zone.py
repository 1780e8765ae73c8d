"""The Route 53 hosted zone and its alias records."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import API_DOMAIN_PATH
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    ID_TAG,
    alb_host_name,
)
from archkit.verify.kinds.base import (
    GLOBAL_REGION,
    Kind,
    identity,
    record_key,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    paginate,
)
from archkit.verify.state import ResourceState


class HostedZoneState(ResourceState):
    kind: ClassVar[str] = "hosted_zone"
    name: str = Field(description="Zone name without the trailing dot.")
    private: bool
    records: dict[str, str] = Field(description="`<type> <name>` -> alias target (`edge.cdn`, `api.domain`).")


def alb_alias_record(spec: ArchSpec) -> bool:
    """Whether the load balancer's HTTPS name gets an alias record (its certificate is validated) in the
    hosted zone."""
    alb = spec.network.alb
    return (
        alb.enabled
        and alb.listener.protocol == "HTTPS"
        and alb.listener.certificate_arn is None
        and spec.edge.dns.enabled
    )


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    dns = spec.edge.dns
    records = {
        record_key(r.type, r.name, dns.domain_name): ("edge.cdn" if r.target == "cdn" else API_DOMAIN_PATH)
        for r in dns.records
    }
    if alb_alias_record(spec):
        records[f"A {alb_host_name(spec).rstrip('.').lower()}"] = "network.alb"
    return [
        HostedZoneState(
            **identity(spec, res, HostedZoneState), name=dns.domain_name, private=False, records=records
        )
    ]


def collect(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::Route53::HostedZone")), None)
    if want is None:
        return
    r53 = ctx.aws.client("route53", GLOBAL_REGION)
    domain = want.physical_id.rstrip(".").lower()
    zones = r53.list_hosted_zones_by_name(DNSName=domain, MaxItems="10").get("HostedZones", [])
    named = [z for z in zones if z["Name"].rstrip(".").lower() == domain]
    if not named:
        return
    zone = named[0]
    if len(named) > 1:  # several zones of one name: the one tagged for this system
        for z in named:
            zid = z["Id"].rsplit("/", 1)[-1]
            found = r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zid)["ResourceTagSet"]
            tags = {t["Key"]: t["Value"] for t in found.get("Tags", [])}
            if tags.get(ID_TAG) == want.path and tags.get("Environment") == ctx.spec.environment:
                zone = z
                break
    zone_id = zone["Id"].rsplit("/", 1)[-1]
    records: dict[str, str] = {}
    for rec in paginate(r53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone_id):
        alias = rec.get("AliasTarget")
        if alias and rec["Type"] in ("A", "AAAA"):
            records[f"{rec['Type']} {rec['Name'].rstrip('.').lower()}"] = alias["DNSName"].rstrip(".").lower()
    u = Unreadable()
    tag_set = u.read(
        "tags",
        lambda: r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id)[
            "ResourceTagSet"
        ].get("Tags", []),
    )
    ctx.add(
        HostedZoneState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=zone_id,
            ids=[zone_id],
            unreadable=u.reasons,
            tags={t["Key"]: t["Value"] for t in tag_set or []},
            name=zone["Name"].rstrip(".").lower(),
            private=bool((zone.get("Config") or {}).get("PrivateZone")),
            records=records,
        )
    )


STATES: dict[str, type[ResourceState]] = {
    "AWS::Route53::HostedZone": HostedZoneState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"route53": ("ListHostedZonesByName", "ListResourceRecordSets", "ListTagsForResource")},
    security=frozenset({"private"}),
)
