"""``overview``: internet → Route 53 → CloudFront + WAF → S3 and API Gateway → VPC (AZ → subnet) → data."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from archkit.diagram.model import OFF_SUFFIX, View, ViewBuilder
from archkit.diagram.views.common import access_label, plural, store_access, vpc_functions
from archkit.diagram.views.events import draw_events, has_events

if TYPE_CHECKING:
    from archkit.spec.network import SubnetSpec
    from archkit.spec.system import ArchSpec

ENDPOINT_LABELS = {
    "dynamodb": "DynamoDB",
    "s3": "S3",
    "ssm": "SSM",
    "secretsmanager": "Secrets Manager",
    "kms": "KMS",
    "logs": "CloudWatch Logs",
    "sts": "STS",
    "ssmmessages": "SSM Messages",
    "ec2messages": "EC2 Messages",
}


def build(spec: ArchSpec) -> View:
    b = ViewBuilder("overview", "AWS Infrastructure Overview", "TB")
    edge, net = spec.edge, spec.network

    # Only a system with a public entry (DNS, CDN or API) is drawn from the internet down.
    if edge.dns.enabled or edge.cdn.enabled or spec.api.routes:
        b.node("internet", "Internet", "internet", ref=None, details=["users, browsers"])
    if edge.dns.enabled:
        kinds = sorted({r.type for r in edge.dns.records})
        b.node(
            "edge.dns", "Route 53 DNS", "route53", details=[edge.dns.domain_name, f"alias {'/'.join(kinds)}"]
        )
        b.edge("internet", "edge.dns", "DNS lookup")
    entry = "internet"
    if edge.cdn.enabled:
        b.group("edge", "CloudFront CDN + WAF rules", kind="edge", ref=None)
        b.node(
            "edge.cdn",
            "CloudFront CDN",
            "cloudfront",
            group="edge",
            details=[edge.cdn.price_class, f"min {edge.cdn.minimum_tls}"],
        )
        if edge.waf.enabled:
            b.node("edge.waf", "WAF web ACL", "waf", group="edge", details=_waf_summary(spec))
            b.edge("edge.waf", "edge.cdn", "filters", kind="applies", dashed=True, constraint=False)
            if edge.dns.enabled:
                b.order("edge.dns", "edge.waf")
        if edge.dns.enabled and any(r.target == "cdn" for r in edge.dns.records):
            b.edge("edge.dns", "edge.cdn", "alias")
        else:
            b.edge("internet", "edge.cdn", "HTTPS")
        entry = "edge.cdn"

    for key in spec.buckets:
        origin = edge.cdn.enabled and edge.cdn.static_bucket == key
        title = "S3 static assets" if origin else f"S3 bucket {key}"
        b.node(f"buckets.{key}", title, "s3", details=[spec.name_of(key, "buckets")])
        if origin:
            b.edge("edge.cdn", f"buckets.{key}", f"origin {edge.cdn.static_prefix}", kind="origin")
        if edge.cdn.enabled and edge.cdn.logs_bucket == key:
            b.edge("edge.cdn", f"buckets.{key}", "access logs", kind="writes", dashed=True)
        if edge.cdn.enabled and not origin:
            patterns = [bh.path_pattern for bh in edge.cdn.behaviors if bh.origin == f"buckets.{key}"]
            if patterns:
                b.edge("edge.cdn", f"buckets.{key}", f"origin {', '.join(patterns)}", kind="origin")

    if spec.api.routes:
        b.node(
            "api",
            "API Gateway REST API",
            "apigw",
            details=[
                f"stage {spec.api.stage} · {spec.api.endpoint_type}",
                plural(len(spec.api.methods()), "method"),
                *([spec.api.domain.domain_name] if spec.api.domain is not None else []),
                *(["regional web ACL"] if spec.api.waf.enabled else []),
            ],
        )
        if edge.cdn.enabled:
            b.edge("edge.cdn", "api", f"origin {edge.cdn.api_path_pattern}", kind="origin")
        else:
            b.edge(entry, "api", "HTTPS")
        if edge.dns.enabled and any(r.target == "api" for r in edge.dns.records):
            b.edge("edge.dns", "api", "alias")

    tier = _vpc(b, spec) if net.enabled else None
    # Buckets left of the API: the S3 endpoint's edge and the API's edges into the VPC do not cross.
    b.row(*(f"buckets.{k}" for k in spec.buckets), *(["api"] if spec.api.routes else []))
    if spec.api.routes and spec.api.vpc_link.enabled and net.alb.enabled:
        b.edge("api", "network.alb", "VPC link")

    # Functions outside the VPC are drawn once, beside it.
    outside = [k for k, f in spec.functions.items() if not f.vpc]
    callers: list[str] = [tier] if tier else []
    # With events, functions outside the VPC are drawn one by one: each is a step of the flow.
    single = has_events(spec)
    if outside and single:
        for key in outside:
            fn = spec.functions[key]
            b.node(f"functions.{key}", f"Lambda {key}", "lambda", details=[f"{fn.runtime} · {fn.memory} MB"])
    elif outside:
        b.node(
            "functions.outside_vpc",
            "Lambda functions",
            "lambda",
            ref="functions",
            details=["outside the VPC", plural(len(outside), "function")],
        )
        callers.append("functions.outside_vpc")
    if spec.api.routes:
        # One edge into the Lambda tier (its frame), not one per AZ.
        for target in callers:
            b.edge("api", target, "invokes", kind="invokes")
    if net.alb.enabled and net.alb.targets:
        targets = [spec.functions[k] for k in net.alb.targets if k in spec.functions]
        if tier and any(f.vpc for f in targets):
            b.edge("network.alb", tier, "forwards", kind="invokes")
        if "functions.outside_vpc" in callers and any(not f.vpc for f in targets):
            b.edge("network.alb", "functions.outside_vpc", "forwards", kind="invokes")

    gateway = {ep.service for ep in net.endpoints if ep.type == "gateway"}
    for key in spec.tables:
        table = spec.tables[key]
        details = [
            spec.name_of(key, "tables"),
            f"PK {table.partition_key.name}" + (f" · SK {table.sort_key.name}" if table.sort_key else ""),
        ]
        b.node(f"tables.{key}", "DynamoDB table", "dynamodb", details=[key, *details])
        _data_edges(b, spec, f"tables.{key}", "dynamodb" in gateway, callers)
    for key in spec.buckets:
        _data_edges(b, spec, f"buckets.{key}", "s3" in gateway, callers)
    if single:
        for store in (*(f"tables.{k}" for k in spec.tables), *(f"buckets.{k}" for k in spec.buckets)):
            for key, levels in store_access(spec, store).items():
                if not spec.functions[key].vpc:
                    label = access_label(levels)
                    b.edge(f"functions.{key}", store, label, kind=label)
        draw_events(
            b,
            spec,
            lambda key: f"functions.{key}" if not spec.functions[key].vpc else (tier if tier else None),
        )
    return b.build()


def _bastion(b: ViewBuilder, spec: ArchSpec, group: str, subnet: str | None = None) -> None:
    """The bastion host in the first subnet of its tier (``network.bastion.subnet``); when off, only with
    ``diagrams.show_disabled``.

    ``subnet`` names that subnet when the host is drawn in the tier's band rather than in the subnet's frame.
    """
    bastion = spec.network.bastion
    if not bastion.enabled and not spec.diagrams.show_disabled:
        return
    b.node(
        "network.bastion",
        "Bastion host" if bastion.enabled else f"Bastion host {OFF_SUFFIX}",
        "bastion",
        group=group,
        off=not bastion.enabled,
        details=[
            bastion.instance_type,
            "SSM only" if not bastion.allowed_cidrs else "SSH",
            *(["no public IP"] if not bastion.public_ip else []),
            *([subnet] if subnet else []),
        ],
    )


LAMBDA_TIER = "network#lambda_tier"
"""The frame of the private subnets holding the VPC functions: API Gateway and the ALB invoke it once."""


def _vpc(b: ViewBuilder, spec: ArchSpec) -> str | None:
    """The VPC in tiers as the seed draws it, each tier one band across the AZs (AZ order a, b, c).

    Public subnets (NAT gateways, bastion, the ALB in a band below them), the private subnets holding the
    Lambda tier, the DB subnet group spanning the AZs (primary and standby in their AZs), VPC endpoints.
    Returns the id of the Lambda tier group (None when no function runs in the VPC).
    """
    net = spec.network
    azs = list(spec.availability_zones)
    b.group("network.vpc", f"VPC {net.vpc_cidr} · {plural(len(azs), 'availability zone')}", kind="vpc")

    b.group("network#public", "Public subnets", parent="network.vpc", kind="public_tier", ref=None)
    nat_by_az: dict[str, str] = {}
    for i, subnet in _by_az(net.public_subnets, azs):
        gid = b.group(
            f"network.public_subnets.{i}",
            f"{subnet.az} · {subnet.cidr}",
            parent="network#public",
            kind="public_subnet",
        )
        if i < net.nat_gateways:
            nat = b.node(f"network.nat_gateways.{i}", "NAT gateway", "nat", group=gid, details=[subnet.az])
            nat_by_az.setdefault(subnet.az, nat)
        if i == 0 and net.bastion.subnet == "public":
            _bastion(b, spec, gid)
        if not b.members(gid):
            b.node(f"{gid}.empty", "(no resources)", "note", group=gid, ref=None)
    alb_tier = "network#public" if net.alb.internet_facing or not net.alb.enabled else None

    in_vpc = vpc_functions(spec)
    tier: str | None = None
    lambda_by_az: dict[str, str] = {}
    if in_vpc or net.private_subnets:
        label = "Private subnets"
        if in_vpc:
            label = f"Private subnets · Lambda tier ({plural(len(in_vpc), 'function')})"
        tier = b.group(LAMBDA_TIER, label, parent="network.vpc", kind="private_tier", ref=None)
        for i, subnet in _by_az(net.private_subnets, azs):
            gid = b.group(
                f"network.private_subnets.{i}",
                f"{subnet.az} · {subnet.cidr}",
                parent=tier,
                kind="private_subnet",
            )
            if i == 0 and net.bastion.subnet == "private" and not in_vpc:
                _bastion(b, spec, gid)
            if in_vpc:
                node = b.node(
                    f"{gid}.functions",
                    "Lambda functions",
                    "lambda",
                    group=gid,
                    ref="functions",
                    details=[subnet.az],
                )
                lambda_by_az.setdefault(subnet.az, node)
            elif not b.members(gid):
                b.node(f"{gid}.empty", "(no resources)", "note", group=gid, ref=None)
    alb_tier = alb_tier or tier or "network.vpc"
    _alb(b, spec, alb_tier)
    if tier is not None and in_vpc and net.bastion.subnet == "private" and net.private_subnets:
        # In the tier's band below the functions, its subnet named: beside the functions in the subnet's
        # frame it would widen the overview past the docs column (style.MAX_WIDTH_PT). The layout hint hangs
        # it below the last AZ so the AZs stay in order.
        first = net.private_subnets[0]
        _bastion(b, spec, tier, subnet=f"{first.az} · {first.cidr}")
        if b.has("network.bastion"):
            b.order(list(lambda_by_az.values())[-1], "network.bastion")

    rds = spec.rds
    if rds.enabled:
        cidrs = ", ".join(s.cidr for _, s in _by_az(net.private_subnets, azs))
        group = b.group(
            "rds.subnet_group", f"DB subnet group · {cidrs}", parent="network.vpc", kind="db_subnet_group"
        )
        primary_az = azs[0] if azs else ""
        b.node(
            "rds",
            f"RDS {rds.engine} primary",
            "rds",
            group=group,
            details=[rds.instance_class, primary_az],
        )
        if rds.multi_az and len(azs) > 1:
            b.node(
                "rds#standby", f"RDS {rds.engine} standby", "rds", group=group, ref="rds", details=[azs[1]]
            )
            b.edge("rds", "rds#standby", "sync replication", kind="flow", dashed=True, constraint=False)
        users = [k for k, f in spec.functions.items() if f.database]
        if tier and users:
            b.edge(tier, "rds", "SQL · " + ", ".join(users), kind="reads/writes")
        if net.bastion.enabled and net.bastion.database_access:
            b.edge("network.bastion", "rds", "admin (SSM port forwarding)", kind="flow", dashed=True)
    elif spec.diagrams.show_disabled:
        b.node("rds", f"RDS {OFF_SUFFIX}", "rds", group="network.vpc", off=True, details=[rds.instance_class])

    # Private subnets send internet-bound traffic through the NAT gateway of their AZ (or the first one).
    first_nat = next(iter(nat_by_az.values()), None)
    for az, node in lambda_by_az.items():
        egress = nat_by_az.get(az, first_nat)
        if egress is not None:
            b.edge(node, egress, "egress", kind="flow", constraint=False)

    if net.endpoints:
        b.group("network.endpoints", "VPC endpoints", parent="network.vpc", kind="endpoints", ref=None)
        for ep in net.endpoints:
            b.node(
                f"network.endpoints.{ep.service}",
                ENDPOINT_LABELS[ep.service],
                "endpoint",
                group="network.endpoints",
                details=[f"{ep.type} endpoint"],
            )
        if tier and in_vpc:
            b.edge(tier, "network.endpoints", "AWS APIs", kind="flow")
    # The S3 endpoint leftmost: its edge up to the buckets (left of the API) runs up the VPC's left side.
    services = sorted((ep.service for ep in net.endpoints), key=lambda s: s != "s3")
    _layout(b, [f"network.endpoints.{s}" for s in services])
    return tier if in_vpc else None


def _layout(b: ViewBuilder, endpoints: list[str]) -> None:
    """Tiers top-down (API → public → ALB band → private → database → endpoints), AZs left to right."""
    public = [n for n in b.members_of_children("network#public")]
    private = b.members_of_children(LAMBDA_TIER)
    database = b.members("rds.subnet_group")
    alb = ["network.alb"] if b.has("network.alb") else []
    tiers = [["api"] if b.has("api") else [], public, alb, private, database, endpoints]
    present = [t for t in tiers if t]
    for upper, lower in pairwise(present):
        for a in upper:
            for z in lower:
                b.order(a, z)
    for tier in (public, private, database, endpoints):
        b.row(*tier)


def _by_az(subnets: list[SubnetSpec], azs: list[str]) -> list[tuple[int, SubnetSpec]]:
    """Subnets with their spec index, in the order of the spec's availability zones (a, b, c)."""
    rank = {az: i for i, az in enumerate(azs)}
    return sorted(enumerate(subnets), key=lambda item: (rank.get(item[1].az, len(rank)), item[0]))


def _alb(b: ViewBuilder, spec: ArchSpec, tier: str) -> None:
    """The ALB as a band across the subnets it spans (public when internet-facing)."""
    alb = spec.network.alb
    if not alb.enabled and not spec.diagrams.show_disabled:
        return
    details = ["internet-facing" if alb.internet_facing else "internal", "spans the public subnets"]
    if alb.enabled:
        listener = alb.listener
        where = "public" if alb.internet_facing else "private"
        details = [
            f"{'internet-facing' if alb.internet_facing else 'internal'} · spans the {where} subnets",
            f"{listener.protocol} {listener.port} · {plural(len(alb.targets), 'Lambda target')}",
        ]
    b.node(
        "network.alb",
        "Application Load Balancer" if alb.enabled else f"ALB {OFF_SUFFIX}",
        "alb",
        group=tier,
        off=not alb.enabled,
        details=details,
    )


def _data_edges(b: ViewBuilder, spec: ArchSpec, store: str, via_endpoint: bool, callers: list[str]) -> None:
    access = store_access(spec, store)
    if not access:
        return
    label = access_label({a for levels in access.values() for a in levels})
    service = "dynamodb" if store.startswith("tables.") else "s3"
    endpoint = f"network.endpoints.{service}"
    for caller in callers:
        # VPC functions reach the store through its gateway endpoint (the tier → endpoints edge).
        if caller == LAMBDA_TIER and via_endpoint and b.has(endpoint):
            # Tables hang below their endpoint; buckets sit above the VPC beside CloudFront.
            b.edge(endpoint, store, label, kind=label, upward=store.startswith("buckets."))
        else:
            b.edge(caller, store, label, kind=label)


def _waf_summary(spec: ArchSpec) -> list[str]:
    waf = spec.edge.waf
    lines = []
    if waf.rate_limit:
        lines.append(f"rate limit {waf.rate_limit}/5 min")
    managed = [
        name for name, on in (("SQLi", waf.sql_injection), ("XSS", waf.xss), ("bots", waf.bot_control)) if on
    ]
    if managed:
        lines.append("managed: " + ", ".join(managed))
    if waf.geo_block:
        lines.append("geo-block " + ", ".join(waf.geo_block))
    return lines
