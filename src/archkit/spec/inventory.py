"""The resource inventory: every AWS resource a spec declares, with its spec path, type and physical name.

Diagrams check coverage against it, docs list it, verify uses it to tell managed from unmanaged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archkit.spec.conventions import (
    API_DOMAIN_PATH,
    API_WEB_ACL,
    EDGE_WEB_ACL,
    dead_letter_path,
    dead_letter_queue_name,
    logged_web_acls,
    stream_failure_queue_name,
    stream_failure_queue_path,
    stream_failure_tables,
    waf_logs_key_path,
)
from archkit.spec.naming import (
    alb_listener_id,
    database_secret_key,
    kms_alias,
    physical_name,
    target_group_name,
    waf_logs_key_alias,
)
from archkit.spec.waf import API_WAF_PATH, EDGE_WAF_PATH

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec


@dataclass(frozen=True, order=True)
class Resource:
    """One declared resource."""

    path: str
    """Spec path, e.g. ``tables.main``; also the ``archkit:id`` tag value."""
    type: str
    """CloudFormation resource type, e.g. ``AWS::DynamoDB::Table``."""
    name: str
    """Physical name (or Name tag) derived by the naming function."""


def resources(spec: ArchSpec) -> list[Resource]:
    """Every resource the spec declares, in declaration order."""
    out: list[Resource] = []

    def add(path: str, cfn_type: str, name: str) -> None:
        out.append(Resource(path, cfn_type, name))

    if spec.network.enabled:
        _network(spec, add)

    for key in spec.security.kms_keys:
        add(f"security.kms_keys.{key}", "AWS::KMS::Key", kms_alias(spec, key))
    for key in spec.security.roles:
        add(f"security.roles.{key}", "AWS::IAM::Role", physical_name(spec, key))
    for key in spec.secrets:
        add(f"secrets.{key}", "AWS::SecretsManager::Secret", physical_name(spec, key, "secrets"))

    for key, table in spec.tables.items():
        cfn = "AWS::DynamoDB::GlobalTable" if table.replicas else "AWS::DynamoDB::Table"
        add(f"tables.{key}", cfn, physical_name(spec, key, "tables"))
        if key in stream_failure_tables(spec):
            add(stream_failure_queue_path(key), "AWS::SQS::Queue", stream_failure_queue_name(spec, key))
    for key in spec.buckets:
        add(f"buckets.{key}", "AWS::S3::Bucket", physical_name(spec, key, "buckets"))
    if spec.rds.enabled:
        add("rds", "AWS::RDS::DBInstance", physical_name(spec, "db"))
        add("rds.subnet_group", "AWS::RDS::DBSubnetGroup", physical_name(spec, "db"))
        if spec.rds.credentials_secret is None:
            add(
                "rds.credentials",
                "AWS::SecretsManager::Secret",
                physical_name(spec, database_secret_key(spec), "secrets"),
            )

    for key, queue in spec.queues.items():
        add(f"queues.{key}", "AWS::SQS::Queue", physical_name(spec, key))
        if queue.dead_letter is not None:
            add(dead_letter_path(key), "AWS::SQS::Queue", dead_letter_queue_name(spec, key))
    for key in spec.topics:
        add(f"topics.{key}", "AWS::SNS::Topic", physical_name(spec, key))
    for group in ("schedules", "event_rules"):
        for key in getattr(spec, group):
            add(f"{group}.{key}", "AWS::Events::Rule", physical_name(spec, key))

    for key in spec.layers:
        add(f"layers.{key}", "AWS::Lambda::LayerVersion", physical_name(spec, key))
    for key in spec.functions:
        add(f"functions.{key}", "AWS::Lambda::Function", physical_name(spec, key, "functions"))

    if spec.api.routes:
        add("api", "AWS::ApiGateway::RestApi", physical_name(spec, "api"))
        for key in spec.api.authorizers:
            add(f"api.authorizers.{key}", "AWS::ApiGateway::Authorizer", physical_name(spec, key))
        for key in spec.api.api_keys:
            add(f"api.api_keys.{key}", "AWS::ApiGateway::ApiKey", physical_name(spec, key))
        for key in spec.api.usage_plans:
            add(f"api.usage_plans.{key}", "AWS::ApiGateway::UsagePlan", physical_name(spec, key))
        if spec.api.vpc_link.enabled:
            add("api.vpc_link", "AWS::ApiGatewayV2::VpcLink", physical_name(spec, "vpc-link"))
        if spec.api.domain is not None:
            add(API_DOMAIN_PATH, "AWS::ApiGateway::DomainName", spec.api.domain.domain_name)
        if spec.api.waf.enabled:
            add(API_WAF_PATH, "AWS::WAFv2::WebACL", physical_name(spec, API_WEB_ACL))

    edge = spec.edge
    if edge.dns.enabled:
        add("edge.dns", "AWS::Route53::HostedZone", edge.dns.domain_name)
    if edge.cdn.enabled:
        add("edge.cdn", "AWS::CloudFront::Distribution", physical_name(spec, "cdn"))
    if edge.waf.enabled:
        add(EDGE_WAF_PATH, "AWS::WAFv2::WebACL", physical_name(spec, EDGE_WEB_ACL))
    for acl_key in logged_web_acls(spec):
        add(waf_logs_key_path(acl_key), "AWS::KMS::Key", waf_logs_key_alias(spec, acl_key))

    for key in spec.cost.budgets:
        add(f"cost.budgets.{key}", "AWS::Budgets::Budget", physical_name(spec, key))
    if spec.cost.anomaly_detection.enabled:
        add("cost.anomaly_detection", "AWS::CE::AnomalyMonitor", physical_name(spec, "anomaly-monitor"))
    return out


def _network(spec: ArchSpec, add: Callable[[str, str, str], None]) -> None:
    net = spec.network
    add("network.vpc", "AWS::EC2::VPC", physical_name(spec, "vpc"))
    for tier in ("public", "private"):
        for i, subnet in enumerate(getattr(net, f"{tier}_subnets")):
            add(f"network.{tier}_subnets.{i}", "AWS::EC2::Subnet", physical_name(spec, f"{tier}-{subnet.az}"))
    for i, subnet in enumerate(net.public_subnets[: net.nat_gateways]):
        add(f"network.nat_gateways.{i}", "AWS::EC2::NatGateway", physical_name(spec, f"nat-{subnet.az}"))
    if net.alb.enabled:
        add("network.alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", physical_name(spec, "alb"))
        add("network.alb.listener", "AWS::ElasticLoadBalancingV2::Listener", alb_listener_id(spec))
        for key in net.alb.targets:
            add(
                f"network.alb.targets.{key}",
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                target_group_name(spec, key),
            )
    if net.bastion.enabled:
        add("network.bastion", "AWS::EC2::Instance", physical_name(spec, "bastion"))
    for ep in net.endpoints:
        add(
            f"network.endpoints.{ep.service}",
            "AWS::EC2::VPCEndpoint",
            physical_name(spec, f"{ep.service}-endpoint"),
        )
    for key in net.security_groups:
        add(f"network.security_groups.{key}", "AWS::EC2::SecurityGroup", physical_name(spec, key))
    if net.flow_logs.enabled:
        add("network.flow_logs", "AWS::EC2::FlowLog", physical_name(spec, "flow-logs"))
