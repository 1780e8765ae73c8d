"""The network page: the edge, the VPC with its subnets, NAT, endpoints, security groups, and the extras."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, or_dash, table, text, yes_no
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.naming import physical_name

if TYPE_CHECKING:
    from archkit.spec import ArchSpec
    from archkit.spec.network import SecurityGroupRuleSpec


def _subnets(spec: ArchSpec) -> str:
    net = spec.network
    rows = []
    for tier in ("public", "private"):
        for i, subnet in enumerate(getattr(net, f"{tier}_subnets")):
            nat = "yes" if tier == "public" and i < net.nat_gateways else "—"
            rows.append(
                (
                    code(f"network.{tier}_subnets.{i}"),
                    tier,
                    code(subnet.az),
                    code(subnet.cidr),
                    nat,
                    code(physical_name(spec, f"{tier}-{subnet.az}")),
                )
            )
    return table(["Spec path", "Tier", "Availability zone", "CIDR", "NAT gateway", "Name"], rows)


def _ports(rule: SecurityGroupRuleSpec) -> str:
    if rule.port is None:
        return "all"
    if rule.to_port is not None and rule.to_port != rule.port:
        return f"{rule.port}-{rule.to_port}"
    return str(rule.port)


def _peer(rule: SecurityGroupRuleSpec) -> str:
    if rule.cidr:
        return code(rule.cidr)
    if rule.security_group:
        return f"security group {code(rule.security_group)}"
    if rule.prefix_list:
        return f"prefix list {code(rule.prefix_list)}"
    return "—"


def _security_groups(spec: ArchSpec) -> str:
    rows: list[tuple[str, ...]] = []
    for key, group in spec.network.security_groups.items():
        for direction, group_rules in (("ingress", group.ingress), ("egress", group.egress)):
            for rule in group_rules:
                rows.append(
                    (
                        code(key),
                        direction,
                        rule.protocol,
                        _ports(rule),
                        _peer(rule),
                        text(rule.description) or "—",
                    )
                )
        if not group.ingress and not group.egress:
            rows.append((code(key), "—", "—", "—", "no rules", "—"))
    groups = table(
        ["Security group", "Name", "Description"],
        [
            (code(k), code(physical_name(spec, k)), text(g.description))
            for k, g in spec.network.security_groups.items()
        ],
    )
    rule_table = table(["Security group", "Direction", "Protocol", "Ports", "Peer", "Description"], rows)
    return join_blocks(groups, section("Rules", rule_table, level=3))


def _endpoints(spec: ArchSpec) -> str:
    return table(
        ["Service", "Type", "Private DNS", "Name"],
        [
            (
                code(ep.service),
                ep.type,
                yes_no(ep.private_dns) if ep.type == "interface" else "—",
                code(physical_name(spec, f"{ep.service}-endpoint")),
            )
            for ep in spec.network.endpoints
        ],
    )


def _optional(spec: ArchSpec) -> str:
    net = spec.network
    return table(
        ["Component", "Enabled", "Settings"],
        [
            (
                "Application Load Balancer",
                yes_no(net.alb.enabled),
                f"internet facing: {yes_no(net.alb.internet_facing)}, "
                f"security group: {or_dash(net.alb.security_group)}, "
                f"access logs: {yes_no(net.alb.access_logs)}",
            ),
            (
                "Bastion host",
                yes_no(net.bastion.enabled),
                f"instance type: {code(net.bastion.instance_type)}, "
                f"{net.bastion.subnet} subnet, public IP: {yes_no(net.bastion.public_ip)}, "
                f"SSH from: {codes(net.bastion.allowed_cidrs, 'SSM only')}, "
                f"security group: {or_dash(net.bastion.security_group)}",
            ),
            (
                "RDS database",
                yes_no(spec.rds.enabled),
                f"engine: {code(spec.rds.engine + ' ' + spec.rds.engine_version)}, "
                f"class: {code(spec.rds.instance_class)}, multi-AZ: {yes_no(spec.rds.multi_az)}, "
                f"security group: {or_dash(spec.rds.security_group)}",
            ),
        ],
    )


def _edge(spec: ArchSpec) -> str:
    edge = spec.edge
    dns = key_values(
        [
            ("Route 53", yes_no(edge.dns.enabled)),
            ("Domain", code(edge.dns.domain_name)),
            ("Create hosted zone", yes_no(edge.dns.create_zone)),
            (
                "Certificate",
                or_dash(edge.dns.certificate_arn)
                if edge.dns.certificate_arn
                else "issued by ACM, DNS-validated",
            ),
        ]
    )
    records = table(
        ["Record", "Type", "Target"],
        [(code(r.name or "@"), r.type, r.target) for r in edge.dns.records],
    )
    cdn = edge.cdn
    cloudfront = key_values(
        [
            ("CloudFront", yes_no(cdn.enabled)),
            (
                "Static origin",
                f"bucket {code(cdn.static_bucket)}, prefix {code(cdn.static_prefix)}"
                if cdn.static_bucket is not None
                else "none",
            ),
            ("API origin path pattern", code(cdn.api_path_pattern)),
            *(
                (f"Behaviour {code(bh.path_pattern)}", f"{code(bh.origin)}, {bh.cache_policy}")
                for bh in cdn.behaviors
            ),
            *(
                (f"Error {e.error_code}", f"{e.response_code or '-'} {code(e.response_page or '-')}")
                for e in cdn.error_responses
            ),
            ("Default root object", code(cdn.default_root_object)),
            ("Viewer protocol", code(cdn.viewer_protocol)),
            ("Minimum TLS", code(cdn.minimum_tls)),
            ("HTTP versions", code(cdn.http_version)),
            ("Price class", code(cdn.price_class)),
            ("Compression", yes_no(cdn.compression)),
            ("Access logs bucket", or_dash(cdn.logs_bucket)),
            ("WAF web ACL", yes_no(edge.waf.enabled) + " (see [Security layers](security.md))"),
        ]
    )
    return join_blocks(
        *[
            section("Route 53", dns, section("Records", records, level=4), level=3),
            section("CloudFront", cloudfront, level=3),
        ]
    )


def body(spec: ArchSpec, ctx: PageContext) -> str:
    net = spec.network
    if not net.enabled:
        # No network stack: the functions run outside any VPC (`network.enabled: false`).
        return join_blocks(
            section("Edge", _edge(spec)),
            section("VPC", "None: `network.enabled` is false, every function runs outside a VPC."),
        )
    vpc = key_values(
        [
            ("Name", code(physical_name(spec, "vpc"))),
            ("CIDR", code(net.vpc_cidr)),
            ("Availability zones", codes(spec.availability_zones)),
            ("NAT gateways", f"{net.nat_gateways} (first {net.nat_gateways} public subnets)"),
            ("High availability asked", yes_no(net.high_availability)),
            (
                "Flow logs",
                f"{yes_no(net.flow_logs.enabled)}: {net.flow_logs.traffic_type} traffic to "
                f"{net.flow_logs.destination}, kept {net.flow_logs.retention_days} days",
            ),
        ]
    )
    return join_blocks(
        *[
            section("Edge", _edge(spec)),
            section("VPC", vpc),
            section("Subnets", _subnets(spec)),
            section("VPC endpoints", _endpoints(spec)),
            section("Security groups", _security_groups(spec)),
            section("Optional components", _optional(spec)),
        ]
    )


PAGE = ViewPage(
    file="network.md",
    title="Network",
    diagram_views=("network", "overview"),
    intro="Route 53 and CloudFront in front, then the VPC: public and private subnets per availability zone, "
    "NAT gateways, VPC endpoints and security groups.",
    body=body,
    rule_layers=("network",),
)
