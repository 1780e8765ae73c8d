"""Where each spec element goes: stack names, regions and placement decisions (pure Python, no CDK).

Stacks, in deployment order:

- ``{base}-network``  VPC, subnets, NAT, endpoints, security groups, flow logs, bastion.
- ``{base}-data``     KMS keys, secrets, roles (backup and the functions' execution roles with their
                      grants), tables, stream failure queues, buckets, RDS.
- ``{base}-data-<r>`` one per replica region of a customer-key global table: that region's key.
- ``{base}-application`` layers, functions, stream mappings, secret rotation, API Gateway, ALB.
- ``{base}-edge``     CloudFront, WAF, Route 53, ACM and the buckets CloudFront reads (their policy
                      names the distribution), the alias records. With CloudFront it is in us-east-1; when
                      the primary region is another one it stays regional and ``{base}-edge-global``
                      (us-east-1) holds zone, certificate, WAF. Without CloudFront everything is in the
                      primary region. It exists only when it holds something (no empty stack).
                      ``{base}-edge-global`` also exists when a certificate of the application stack (the
                      load balancer's, the API domain's) is validated in the hosted zone: the application
                      stack needs the zone, and the edge stack needs the application stack (the API origin,
                      the records), so the zone cannot stay there.
- ``{base}-cost``     budgets and cost anomaly detection (billing APIs live in us-east-1).

Execution roles live in the data stack so bucket policies can name them without a stack cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from archkit.cdk.regions import EDGE_REGION
from archkit.spec.naming import base_name

if TYPE_CHECKING:
    from archkit.spec import ArchSpec


@dataclass(frozen=True)
class StackLayout:
    """Stack names and regions for one spec."""

    network: str
    data: str
    application: str
    edge: str | None
    """None when there is nothing at the edge (or the global stack holds all of it)."""
    edge_global: str | None
    cost: str
    region: str
    global_region: str
    """Of ``edge_global``: us-east-1 for CloudFront's certificate and web ACL, else the primary region."""
    edge_region: str
    replica_key_stacks: dict[str, str]
    """Replica region → stack holding that region's copy of the customer keys."""


def layout(spec: ArchSpec) -> StackLayout:
    base = base_name(spec)
    cdn = spec.edge.cdn.enabled
    separate_global = (spec.region != EDGE_REGION and cdn) or zone_needed_first(spec)
    edge = (
        cdn
        or bool(edge_buckets(spec))
        or bool(alias_records(spec))
        or (edge_enabled(spec) and not separate_global)
    )
    return StackLayout(
        network=f"{base}-network",
        data=f"{base}-data",
        application=f"{base}-application",
        edge=f"{base}-edge" if edge else None,
        edge_global=f"{base}-edge-global" if separate_global else None,
        cost=f"{base}-cost",
        region=spec.region,
        global_region=EDGE_REGION if cdn else spec.region,
        edge_region=spec.region if separate_global or not cdn else EDGE_REGION,
        replica_key_stacks={r: f"{base}-data-{r}" for r in replica_key_regions(spec)},
    )


def edge_enabled(spec: ArchSpec) -> bool:
    return spec.edge.cdn.enabled or spec.edge.dns.enabled or spec.edge.waf.enabled


def alias_records(spec: ArchSpec) -> list[int]:
    """Indexes of the alias records archkit creates (each needs its target: the distribution or the API
    domain; validation rejects a record whose target is not there)."""
    dns = spec.edge.dns
    if not dns.enabled:
        return []
    return [
        i
        for i, r in enumerate(dns.records)
        if (r.target == "cdn" and spec.edge.cdn.enabled) or (r.target == "api" and api_domain(spec))
    ]


def api_domain(spec: ArchSpec) -> bool:
    """The API has a custom domain (regional, in the application stack)."""
    return bool(spec.api.routes) and spec.api.domain is not None


def api_domain_needs_zone(spec: ArchSpec) -> bool:
    """The API domain's certificate is issued by archkit, DNS-validated in the hosted zone."""
    return api_domain(spec) and spec.api.domain.certificate_arn is None and spec.edge.dns.enabled  # type: ignore[union-attr]


def zone_needed_first(spec: ArchSpec) -> bool:
    """A certificate of the application stack is validated in the hosted zone: the zone is deployed first."""
    return alb_needs_zone(spec) or api_domain_needs_zone(spec)


def alb_needs_zone(spec: ArchSpec) -> bool:
    """The load balancer's HTTPS certificate is issued by archkit, DNS-validated in the hosted zone."""
    alb = spec.network.alb
    return (
        alb.enabled
        and alb.listener.protocol == "HTTPS"
        and alb.listener.certificate_arn is None
        and spec.edge.dns.enabled
    )


def edge_buckets(spec: ArchSpec) -> list[str]:
    """Buckets whose policy names the CloudFront distribution; they live in the edge stack."""
    keys = [
        key
        for key, bucket in spec.buckets.items()
        if any(p.principal == "cloudfront" for p in bucket.policies)
        or (spec.edge.cdn.enabled and key == spec.edge.cdn.static_bucket)
    ]
    return keys


def data_buckets(spec: ArchSpec) -> list[str]:
    edge = set(edge_buckets(spec))
    return [key for key in spec.buckets if key not in edge]


def replica_key_regions(spec: ArchSpec) -> list[str]:
    """Regions needing a copy of a customer key because a global table with that key replicates there."""
    regions: list[str] = []
    for table in spec.tables.values():
        if table.encryption == "customer_managed":
            regions += [r for r in table.replicas if r not in regions]
    return regions


def replica_keys(spec: ArchSpec) -> list[str]:
    """KMS key names that need a copy in every replica region."""
    keys: list[str] = []
    for table in spec.tables.values():
        if (
            table.encryption == "customer_managed"
            and table.replicas
            and table.kms_key
            and table.kms_key not in keys
        ):
            keys.append(table.kms_key)
    return keys


def api_bound_functions(spec: ArchSpec) -> set[str]:
    """Functions the API invokes (integrations and authorizers)."""
    bound = {m.function for _, _, m in spec.api.methods() if m.function is not None}
    if spec.api.routes:
        bound |= {a.function for a in spec.api.authorizers.values()}
    return bound


def flow_logs_bucket(spec: ArchSpec) -> str | None:
    """Bucket receiving S3-destined flow logs: `logs` if declared, else the first access-log target."""
    if "logs" in spec.buckets:
        return "logs"
    targets = [b.access_logs_bucket for b in spec.buckets.values() if b.access_logs_bucket]
    if spec.edge.cdn.logs_bucket:
        targets.append(spec.edge.cdn.logs_bucket)
    return targets[0] if targets else None
