"""CloudFront distributions and origin access controls."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_bool
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler


@handler("AWS::CloudFront::OriginAccessControl")
def origin_access_control(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    c = dict(p["OriginAccessControlConfig"])
    c.setdefault("Description", "")
    oac = ctx.client("cloudfront").create_origin_access_control(OriginAccessControlConfig=c)
    oid = oac["OriginAccessControl"]["Id"]
    return Created(oid, {"Id": oid})


def _items(values: list[Any] | None) -> dict[str, Any]:
    values = values or []
    return {"Quantity": len(values), "Items": values} if values else {"Quantity": 0}


def _methods(b: dict[str, Any]) -> dict[str, Any]:
    allowed = b.get("AllowedMethods", ["GET", "HEAD"])
    cached = b.get("CachedMethods", ["GET", "HEAD"])
    return {**_items(allowed), "CachedMethods": _items(cached)}


_BEHAVIOR_PASS = (
    "TargetOriginId",
    "ViewerProtocolPolicy",
    "CachePolicyId",
    "OriginRequestPolicyId",
    "ResponseHeadersPolicyId",
    "FieldLevelEncryptionId",
    "RealtimeLogConfigArn",
)


def _behavior(b: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: b[k] for k in _BEHAVIOR_PASS if k in b}
    out["AllowedMethods"] = _methods(b)
    out["Compress"] = as_bool(b.get("Compress", False))
    out["SmoothStreaming"] = as_bool(b.get("SmoothStreaming", False))
    if "PathPattern" in b:
        out["PathPattern"] = b["PathPattern"]
    if b.get("FunctionAssociations") or b.get("LambdaFunctionAssociations"):
        raise DeployError("edge function associations are not supported")
    return out


def _origin(o: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Id": o["Id"],
        "DomainName": o["DomainName"],
        "OriginPath": o.get("OriginPath", ""),
    }
    if "OriginAccessControlId" in o:
        out["OriginAccessControlId"] = o["OriginAccessControlId"]
    if "S3OriginConfig" in o:
        out["S3OriginConfig"] = {"OriginAccessIdentity": o["S3OriginConfig"].get("OriginAccessIdentity", "")}
    if "CustomOriginConfig" in o:
        c = o["CustomOriginConfig"]
        out["CustomOriginConfig"] = {
            "HTTPPort": int(c.get("HTTPPort", 80)),
            "HTTPSPort": int(c.get("HTTPSPort", 443)),
            "OriginProtocolPolicy": c["OriginProtocolPolicy"],
            "OriginSslProtocols": _items(c.get("OriginSSLProtocols", ["TLSv1.2"])),
            "OriginReadTimeout": int(c.get("OriginReadTimeout", 30)),
            "OriginKeepaliveTimeout": int(c.get("OriginKeepaliveTimeout", 5)),
        }
    if o.get("OriginCustomHeaders"):
        out["CustomHeaders"] = _items(
            [
                {"HeaderName": h["HeaderName"], "HeaderValue": h["HeaderValue"]}
                for h in o["OriginCustomHeaders"]
            ]
        )
    return out


@handler("AWS::CloudFront::Distribution")
def distribution(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    d = p["DistributionConfig"]
    config: dict[str, Any] = {
        "CallerReference": f"{ctx.stack}-{ctx.logical_id}",
        "Comment": d.get("Comment", ""),
        "Enabled": as_bool(d["Enabled"]),
        "Aliases": _items(d.get("Aliases")),
        "Origins": _items([_origin(o) for o in d["Origins"]]),
        "DefaultCacheBehavior": _behavior(d["DefaultCacheBehavior"]),
        "CacheBehaviors": _items([_behavior(b) for b in d.get("CacheBehaviors", [])]),
        "DefaultRootObject": d.get("DefaultRootObject", ""),
        "PriceClass": d.get("PriceClass", "PriceClass_All"),
        "HttpVersion": d.get("HttpVersion", "http1.1"),
        "IsIPV6Enabled": as_bool(d.get("IPV6Enabled", False)),
    }
    if "Logging" in d:
        lg = d["Logging"]
        config["Logging"] = {
            "Enabled": True,
            "IncludeCookies": as_bool(lg.get("IncludeCookies", False)),
            "Bucket": lg["Bucket"],
            "Prefix": lg.get("Prefix", ""),
        }
    if "ViewerCertificate" in d:
        vc = d["ViewerCertificate"]
        cert: dict[str, Any] = {}
        if "AcmCertificateArn" in vc:
            cert["ACMCertificateArn"] = vc["AcmCertificateArn"]
        if "SslSupportMethod" in vc:
            cert["SSLSupportMethod"] = vc["SslSupportMethod"]
        if "MinimumProtocolVersion" in vc:
            cert["MinimumProtocolVersion"] = vc["MinimumProtocolVersion"]
        if as_bool(vc.get("CloudFrontDefaultCertificate", False)):
            cert["CloudFrontDefaultCertificate"] = True
        config["ViewerCertificate"] = cert
    if "WebACLId" in d:
        config["WebACLId"] = d["WebACLId"]
    if "Restrictions" in d:
        geo = d["Restrictions"]["GeoRestriction"]
        config["Restrictions"] = {
            "GeoRestriction": {"RestrictionType": geo["RestrictionType"], **_items(geo.get("Locations"))}
        }
    if d.get("CustomErrorResponses"):
        config["CustomErrorResponses"] = _items(
            [
                {k: (int(v) if k.endswith(("Code", "TTL")) else v) for k, v in r.items()}
                for r in d["CustomErrorResponses"]
            ]
        )
    tags = {"Items": ctx.tags(p)}
    out = ctx.client("cloudfront").create_distribution_with_tags(
        DistributionConfigWithTags={"DistributionConfig": config, "Tags": tags}
    )
    dist = out["Distribution"]
    return Created(dist["Id"], {"Id": dist["Id"], "DomainName": dist["DomainName"]})
