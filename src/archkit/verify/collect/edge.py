"""Edge: the CloudFront distribution (found by its comment = physical name, or its `archkit:id` tag),
the WAFv2 web ACL (scope CLOUDFRONT, us-east-1) and the Route 53 hosted zone and alias records."""

from __future__ import annotations

from typing import Any

from archkit.spec.naming import ID_TAG
from archkit.verify.collect.aws import paginate
from archkit.verify.collect.base import Context, Unreadable
from archkit.verify.state import DistributionState, HostedZoneState, WebAclState

GLOBAL_REGION = "us-east-1"
"""CloudFront and CLOUDFRONT-scoped WAF live in us-east-1."""


def _origin_target(domain: str, buckets: dict[str, str]) -> str:
    """`buckets.<key>` for an S3 origin of a declared bucket, else the domain (resolved later)."""
    if ".s3." in domain or domain.endswith(".s3.amazonaws.com"):
        name = domain.split(".s3", 1)[0]
        return buckets.get(name, domain)
    return domain


def collect_cloudfront(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::CloudFront::Distribution")), None)
    if want is None:
        return
    cf = ctx.aws.client("cloudfront", GLOBAL_REGION)
    items: list[dict[str, Any]] = []
    for page in cf.get_paginator("list_distributions").paginate():
        items.extend((page.get("DistributionList") or {}).get("Items", []))
    dist = next((d for d in items if d.get("Comment") == want.physical_id), None)
    u = Unreadable()
    tags: dict[str, str] = {}
    if dist is None:  # fall back to the archkit:id tag
        for d in items:
            found = {
                t["Key"]: t["Value"] for t in cf.list_tags_for_resource(Resource=d["ARN"])["Tags"]["Items"]
            }
            if (
                found.get(ID_TAG) == want.path
                and found.get("Project") == ctx.spec.project
                and found.get("Environment") == ctx.spec.environment
            ):
                dist, tags = d, found
                break
    if dist is None:
        return
    if not tags:
        tags = {
            t["Key"]: t["Value"]
            for t in (
                u.read("tags", lambda: cf.list_tags_for_resource(Resource=dist["ARN"])["Tags"]["Items"]) or []
            )
        }
    # The list summary lacks logging and the root object; the configuration has everything.
    config = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]
    buckets = ctx.path_by_name("AWS::S3::Bucket")
    origin_of = {
        o["Id"]: (_origin_target(o["DomainName"], buckets), o.get("OriginPath", ""))
        for o in (config.get("Origins") or {}).get("Items", [])
    }
    default = config.get("DefaultCacheBehavior") or {}
    behaviors = {
        b["PathPattern"]: origin_of.get(b["TargetOriginId"], (b["TargetOriginId"], ""))[0]
        for b in (config.get("CacheBehaviors") or {}).get("Items", [])
    }
    logging = config.get("Logging") or {}
    log_bucket = logging.get("Bucket", "") if logging.get("Enabled") else ""
    cert = config.get("ViewerCertificate") or {}
    ctx.add(
        DistributionState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=dist["Id"],
            arn=dist["ARN"],
            ids=[dist["Id"], dist["ARN"], dist["DomainName"].lower()],
            unreadable=u.reasons,
            tags=tags,
            enabled=bool(config.get("Enabled")),
            aliases=(config.get("Aliases") or {}).get("Items", []),
            origins=dict(origin_of.values()),
            default_origin=origin_of.get(
                default.get("TargetOriginId", ""), (default.get("TargetOriginId", ""), "")
            )[0],
            behaviors=behaviors,
            web_acl=config.get("WebACLId") or None,
            minimum_tls=cert.get("MinimumProtocolVersion", "TLSv1"),
            viewer_protocol=default.get("ViewerProtocolPolicy", "allow-all"),
            compression=bool(default.get("Compress")),
            price_class=config.get("PriceClass", "PriceClass_All"),
            http_version=config.get("HttpVersion", "http1.1"),
            default_root_object=config.get("DefaultRootObject", ""),
            logging_bucket=_origin_target(log_bucket, buckets) if log_bucket else None,
        )
    )


def _acl_rules(ctx: Context, waf: Any, rules: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"rate_limit": None, "managed": [], "geo": [], "ips": []}
    for rule in rules:
        st = rule.get("Statement") or {}
        if "RateBasedStatement" in st:
            out["rate_limit"] = st["RateBasedStatement"].get("Limit")
        elif "ManagedRuleGroupStatement" in st:
            g = st["ManagedRuleGroupStatement"]
            out["managed"].append(f"{g['VendorName']}/{g['Name']}")
        elif "GeoMatchStatement" in st:
            out["geo"].extend(st["GeoMatchStatement"].get("CountryCodes", []))
        elif "IPSetReferenceStatement" in st:
            arn = st["IPSetReferenceStatement"]["ARN"]
            name, ip_id = arn.rsplit("/", 2)[-2:]
            ip_set = waf.get_ip_set(Name=name, Scope="CLOUDFRONT", Id=ip_id)["IPSet"]
            out["ips"].extend(ip_set.get("Addresses", []))
    return out


def collect_waf(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::WAFv2::WebACL")), None)
    if want is None:
        return
    waf = ctx.aws.client("wafv2", GLOBAL_REGION)
    acls: list[dict[str, Any]] = []
    token: str | None = None
    while True:  # ListWebACLs has no paginator
        kwargs: dict[str, Any] = {"Scope": "CLOUDFRONT", "Limit": 100}
        if token:
            kwargs["NextMarker"] = token
        page = waf.list_web_acls(**kwargs)
        acls.extend(page.get("WebACLs", []))
        token = page.get("NextMarker")
        if not token or not page.get("WebACLs"):
            break
    summary = next((a for a in acls if a["Name"] == want.physical_id), None)
    if summary is None:
        return
    acl = waf.get_web_acl(Name=summary["Name"], Scope="CLOUDFRONT", Id=summary["Id"])["WebACL"]
    u = Unreadable()
    tag_info = u.read(
        "tags", lambda: waf.list_tags_for_resource(ResourceARN=acl["ARN"]).get("TagInfoForResource", {})
    )
    rules = _acl_rules(ctx, waf, acl.get("Rules", []))
    ctx.add(
        WebAclState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=acl["Id"],
            arn=acl["ARN"],
            ids=[acl["ARN"], acl["Id"]],
            unreadable=u.reasons,
            tags={t["Key"]: t["Value"] for t in (tag_info or {}).get("TagList", [])},
            scope="CLOUDFRONT",
            default_action="block" if "Block" in (acl.get("DefaultAction") or {}) else "allow",
            rate_limit=rules["rate_limit"],
            managed_rule_groups=rules["managed"],
            geo_block=rules["geo"],
            blocked_ips=rules["ips"],
        )
    )


def collect_route53(ctx: Context) -> None:
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
