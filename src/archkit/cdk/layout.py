"""Where each spec element goes: stack names, regions and placement decisions (pure Python, no CDK).

Stacks, in deployment order:

- ``{base}-network``  VPC, subnets, NAT, endpoints, security groups, flow logs, bastion.
- ``{base}-data``     KMS keys, secrets, roles (backup and the functions' execution roles with their
                      grants), tables, stream failure queues, buckets, RDS.
- ``{base}-data-<r>`` one per replica region of a customer-key global table: that region's key.
- ``{base}-application`` layers, functions, stream mappings, secret rotation, API Gateway, ALB.
- ``{base}-edge``     CloudFront, WAF, Route 53, ACM and the buckets CloudFront reads (their policy
                      names the distribution). In us-east-1; when the primary region is another one it
                      stays regional and ``{base}-edge-global`` (us-east-1) holds zone, certificate, WAF.
                      ``{base}-edge-global`` also exists in us-east-1 when the load balancer's certificate
                      is validated in the hosted zone: the application stack needs the zone, and the edge
                      stack needs the application stack (the API origin), so the zone cannot stay there.
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
    edge: str
    edge_global: str | None
    cost: str
    region: str
    edge_region: str
    replica_key_stacks: dict[str, str]
    """Replica region → stack holding that region's copy of the customer keys."""


def layout(spec: ArchSpec) -> StackLayout:
    base = base_name(spec)
    separate_global = (spec.region != EDGE_REGION and edge_enabled(spec)) or alb_needs_zone(spec)
    return StackLayout(
        network=f"{base}-network",
        data=f"{base}-data",
        application=f"{base}-application",
        edge=f"{base}-edge",
        edge_global=f"{base}-edge-global" if separate_global else None,
        cost=f"{base}-cost",
        region=spec.region,
        edge_region=spec.region if separate_global else EDGE_REGION,
        replica_key_stacks={r: f"{base}-data-{r}" for r in replica_key_regions(spec)},
    )


def edge_enabled(spec: ArchSpec) -> bool:
    return spec.edge.cdn.enabled or spec.edge.dns.enabled or spec.edge.waf.enabled


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
