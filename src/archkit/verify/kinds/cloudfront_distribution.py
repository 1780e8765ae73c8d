"""The CloudFront distribution: found by its comment (= physical name) or its `archkit:id` tag."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    ID_TAG,
)
from archkit.spec.wiring import cdn_behaviors, cdn_default_origin, cdn_origins
from archkit.verify.kinds.base import (
    GLOBAL_REGION,
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
)
from archkit.verify.state import ResourceState, SortedSet


class DistributionState(ResourceState):
    kind: ClassVar[str] = "distribution"
    enabled: bool
    aliases: SortedSet
    origins: dict[str, str] = Field(description="Origin target (`buckets.assets`, `api`) -> origin path.")
    default_origin: str
    behaviors: dict[str, str] = Field(description="Path pattern -> origin target.")
    web_acl: str | None = Field(description="Spec path of the WAF web ACL.")
    minimum_tls: str
    viewer_protocol: str
    compression: bool
    price_class: str
    http_version: str
    default_root_object: str
    logging_bucket: str | None
    error_responses: dict[str, str] = Field(
        default={}, description="Origin error code -> `<status> <page>` sent instead."
    )


def _target(spec: ArchSpec, target: str) -> str:
    """How an origin target reads: another host by its domain name (nothing of the spec stands for it)."""
    kind, _, key = target.partition(".")
    return spec.edge.cdn.origins[key].domain_name if kind == "origins" else target


def error_key(code: int | str) -> str:
    return str(code)


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    edge, cdn = spec.edge, spec.edge.cdn
    return [
        DistributionState(
            **identity(spec, res, DistributionState),
            enabled=True,
            aliases=[edge.dns.domain_name] if edge.dns.enabled else [],
            origins={_target(spec, t): path for t, path in cdn_origins(spec).items()},
            default_origin=_target(spec, cdn_default_origin(spec)),
            behaviors={pattern: _target(spec, t) for pattern, t in cdn_behaviors(spec).items()},
            web_acl="edge.waf" if edge.waf.enabled else None,
            minimum_tls=cdn.minimum_tls,
            viewer_protocol=cdn.viewer_protocol,
            compression=cdn.compression,
            price_class=cdn.price_class,
            http_version=cdn.http_version,
            default_root_object=cdn.default_root_object,
            logging_bucket=f"buckets.{cdn.logs_bucket}" if cdn.logs_bucket else None,
            error_responses={
                error_key(e.error_code): f"{e.response_code or ''} {e.response_page or ''}".strip()
                for e in cdn.error_responses
            },
        )
    ]


def _origin_target(domain: str, buckets: dict[str, str]) -> str:
    """`buckets.<key>` for an S3 origin of a declared bucket, else the domain (resolved later)."""
    if ".s3." in domain or domain.endswith(".s3.amazonaws.com"):
        name = domain.split(".s3", 1)[0]
        return buckets.get(name, domain)
    return domain


def collect(ctx: Context) -> None:
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
            error_responses={
                error_key(
                    e["ErrorCode"]
                ): f"{e.get('ResponseCode') or ''} {e.get('ResponsePagePath') or ''}".strip()
                for e in (config.get("CustomErrorResponses") or {}).get("Items", [])
            },
        )
    )


STATES: dict[str, type[ResourceState]] = {
    "AWS::CloudFront::Distribution": DistributionState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"cloudfront": ("ListDistributions", "GetDistributionConfig", "ListTagsForResource")},
    security=frozenset({"web_acl", "minimum_tls", "viewer_protocol"}),
)
