"""``overview``: internet → Route 53 → CloudFront + WAF → S3 and API Gateway → VPC (AZ → subnet) → data."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from archkit.diagram.model import OFF_SUFFIX, View, ViewBuilder
from archkit.diagram.views.common import access_label, plural, store_access, vpc_functions

if TYPE_CHECKING:
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
        b.node(f"buckets.{key}", title, "s3", details=[spec.name_of(key)])
        if origin:
            b.edge("edge.cdn", f"buckets.{key}", f"origin {edge.cdn.static_prefix}", kind="origin")
        if edge.cdn.enabled and edge.cdn.logs_bucket == key:
            b.edge("edge.cdn", f"buckets.{key}", "access logs", kind="writes", dashed=True)

    if spec.api.routes:
        b.node(
            "api",
            "API Gateway REST API",
            "apigw",
            details=[
                f"stage {spec.api.stage} · {spec.api.endpoint_type}",
                plural(len(spec.api.methods()), "method"),
            ],
        )
        if edge.cdn.enabled:
            b.edge("edge.cdn", "api", f"origin {edge.cdn.api_path_pattern}", kind="origin")
        else:
            b.edge(entry, "api", "HTTPS")
        if edge.dns.enabled and any(r.target == "api" for r in edge.dns.records):
            b.edge("edge.dns", "api", "alias")

    lambda_nodes = _vpc(b, spec)
    if spec.api.routes and spec.api.vpc_link.enabled and net.alb.enabled:
        b.edge("api", "network.alb", "VPC link")

    # Functions outside the VPC are drawn once, beside it.
    outside = [k for k, f in spec.functions.items() if not f.vpc]
    if outside:
        b.node(
            "functions.outside_vpc",
            "Lambda functions",
            "lambda",
            ref="functions",
            details=["outside the VPC", plural(len(outside), "function")],
        )
        lambda_nodes.append("functions.outside_vpc")
    if spec.api.routes:
        for node in lambda_nodes:
            b.edge("api", node, "invokes", kind="invokes")
    if net.alb.enabled and net.alb.targets:
        # The seed's ALB → Lambda functions: to the nodes holding the target functions.
        targets = [spec.functions[k] for k in net.alb.targets if k in spec.functions]
        reached = (
            [n for n in lambda_nodes if n != "functions.outside_vpc"] if any(f.vpc for f in targets) else []
        )
        if "functions.outside_vpc" in lambda_nodes and any(not f.vpc for f in targets):
            reached.append("functions.outside_vpc")
        for node in reached:
            b.edge("network.alb", node, "forwards", kind="invokes")

    gateway = {ep.service for ep in net.endpoints if ep.type == "gateway"}
    for key in spec.tables:
        table = spec.tables[key]
        details = [
            spec.name_of(key),
            f"PK {table.partition_key.name}" + (f" · SK {table.sort_key.name}" if table.sort_key else ""),
        ]
        b.node(f"tables.{key}", "DynamoDB table", "dynamodb", details=[key, *details])
        _data_edges(b, spec, f"tables.{key}", "dynamodb" in gateway, lambda_nodes)
    for key in spec.buckets:
        _data_edges(b, spec, f"buckets.{key}", "s3" in gateway, lambda_nodes)
    return b.build()


def _vpc(b: ViewBuilder, spec: ArchSpec) -> list[str]:
    """The VPC nested VPC → AZ → subnet; returns the ids of the per-AZ Lambda nodes."""
    net = spec.network
    b.group("network.vpc", f"VPC {net.vpc_cidr}", kind="vpc")
    az_groups: dict[str, str] = {}
    for i, az in enumerate(spec.availability_zones):
        az_groups[az] = b.group(
            f"availability_zones.{i}", f"Availability zone {az}", parent="network.vpc", kind="az", ref=None
        )
    in_vpc = vpc_functions(spec)
    lambda_nodes: list[str] = []
    lambda_az: dict[str, str] = {}
    nat_by_az: dict[str, str] = {}
    for tier in ("public", "private"):
        for i, subnet in enumerate(getattr(net, f"{tier}_subnets")):
            gid = b.group(
                f"network.{tier}_subnets.{i}",
                f"{tier.capitalize()} subnet {subnet.cidr}",
                parent=az_groups.get(subnet.az, "network.vpc"),
                kind=f"{tier}_subnet",
            )
            filled = False
            if tier == "public" and i < net.nat_gateways:
                nat = b.node(
                    f"network.nat_gateways.{i}", "NAT gateway", "nat", group=gid, details=[subnet.az]
                )
                nat_by_az.setdefault(subnet.az, nat)
                filled = True
            if tier == net.bastion.subnet and i == 0:
                b.node(
                    "network.bastion",
                    "Bastion host" if net.bastion.enabled else f"Bastion host {OFF_SUFFIX}",
                    "bastion",
                    group=gid,
                    off=not net.bastion.enabled,
                    details=[
                        net.bastion.instance_type,
                        "SSM only" if not net.bastion.allowed_cidrs else "SSH",
                        *(["no public IP"] if not net.bastion.public_ip else []),
                    ],
                )
                filled = True
            if tier == "private" and in_vpc:
                node = b.node(
                    f"{gid}.functions",
                    "Lambda functions",
                    "lambda",
                    group=gid,
                    ref="functions",
                    details=[subnet.az, plural(len(in_vpc), "function")],
                )
                lambda_nodes.append(node)
                lambda_az[node] = subnet.az
                filled = True
            if tier == "private" and i == 0:
                rds = spec.rds
                holder = gid
                if rds.enabled:
                    holder = b.group(
                        "rds.subnet_group",
                        f"DB subnet group · {plural(len(net.private_subnets), 'private subnet')}",
                        parent=gid,
                        kind="db_subnet_group",
                    )
                b.node(
                    "rds",
                    f"RDS {rds.engine}" if rds.enabled else f"RDS {OFF_SUFFIX}",
                    "rds",
                    group=holder,
                    off=not rds.enabled,
                    details=[rds.instance_class, "Multi-AZ standby" if rds.multi_az else "single AZ"],
                )
                filled = True
            if not filled:
                b.node(f"{gid}.empty", "(no resources)", "note", group=gid, ref=None)
    alb_details = ["internet-facing" if net.alb.internet_facing else "internal", "public subnets"]
    if net.alb.enabled:
        listener = net.alb.listener
        alb_details = [
            f"{'internet-facing · public' if net.alb.internet_facing else 'internal · private'} subnets",
            f"{listener.protocol} {listener.port} · {plural(len(net.alb.targets), 'Lambda target')}",
        ]
    b.node(
        "network.alb",
        "Application Load Balancer" if net.alb.enabled else f"ALB {OFF_SUFFIX}",
        "alb",
        group="network.vpc",
        off=not net.alb.enabled,
        details=alb_details,
    )

    # Layout tiers top-down as in the seed: public subnets, private subnets, endpoints.
    public = [n for i in range(len(net.public_subnets)) for n in b.members(f"network.public_subnets.{i}")]
    public.append("network.alb")
    private = [n for i in range(len(net.private_subnets)) for n in b.members(f"network.private_subnets.{i}")]
    _tiers(b, ["api"] if spec.api.routes else [], public, private)

    # Private subnets send internet-bound traffic through the NAT gateway of their AZ (or the first one).
    first_nat = next(iter(nat_by_az.values()), None)
    for node in lambda_nodes:
        egress = nat_by_az.get(lambda_az[node], first_nat)
        if egress is not None:
            b.edge(node, egress, "egress", kind="flow", constraint=False)
    if spec.rds.enabled:
        for node in lambda_nodes:
            b.edge(node, "rds", "reads/writes", kind="reads/writes")
        if net.bastion.enabled and net.bastion.database_access:
            b.edge("network.bastion", "rds", "admin (SSM port forwarding)", kind="flow", dashed=True)

    if net.endpoints:
        b.group("network.endpoints", "VPC endpoints", parent="network.vpc", kind="endpoints", ref=None)
        for ep in net.endpoints:
            b.node(
                f"network.endpoints.{ep.service}",
                f"{ENDPOINT_LABELS[ep.service]} endpoint",
                "endpoint",
                group="network.endpoints",
                details=[ep.type],
            )
        for node in lambda_nodes:
            b.edge(node, "network.endpoints", "AWS APIs", kind="flow")
        _tiers(b, private, [f"network.endpoints.{ep.service}" for ep in net.endpoints])
    return lambda_nodes


def _tiers(b: ViewBuilder, *tiers: list[str]) -> None:
    """Invisible ordering edges so that each tier is drawn below the previous one."""
    for upper, lower in pairwise(tiers):
        for a in upper:
            for z in lower:
                b.order(a, z)


def _data_edges(
    b: ViewBuilder, spec: ArchSpec, store: str, via_endpoint: bool, lambda_nodes: list[str]
) -> None:
    access = store_access(spec, store)
    if not access:
        return
    label = access_label({a for levels in access.values() for a in levels})
    service = "dynamodb" if store.startswith("tables.") else "s3"
    if via_endpoint:
        b.edge(
            f"network.endpoints.{service}", store, label, kind=label, constraint=store.startswith("tables.")
        )
    else:
        for node in lambda_nodes:
            b.edge(node, store, label, kind=label)


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
