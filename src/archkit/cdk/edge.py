"""Edge domain: Route 53 zone and alias records, the DNS-validated ACM certificate and the WAF web ACL
(both in us-east-1), and the CloudFront distribution with its S3 origin (origin access control) and the
API origin."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_shield as shield
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from archkit.cdk.api import ApiConstruct, origin_verify_value
from archkit.cdk.context import BuildContext
from archkit.cdk.data import BucketsConstruct
from archkit.cdk.layout import alias_records
from archkit.cdk.waf import build_web_acl, log_web_acl
from archkit.spec.conventions import EDGE_WEB_ACL, WAF_LOGGING_PATH, logged_web_acls
from archkit.spec.waf import EDGE_WAF_PATH, web_acls
from archkit.spec.wiring import API_TARGET, cdn_default_origin, cdn_origins

_PRICE_CLASSES = {
    "PriceClass_100": cloudfront.PriceClass.PRICE_CLASS_100,
    "PriceClass_200": cloudfront.PriceClass.PRICE_CLASS_200,
    "PriceClass_All": cloudfront.PriceClass.PRICE_CLASS_ALL,
}
_TLS = {
    "TLSv1.2_2019": cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
    "TLSv1.2_2021": cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
}
_CP, _RH = cloudfront.CachePolicy, cloudfront.ResponseHeadersPolicy
_CACHE_POLICIES = {
    "CachingOptimized": _CP.CACHING_OPTIMIZED,
    "CachingDisabled": _CP.CACHING_DISABLED,
    "CachingOptimizedForUncompressedObjects": _CP.CACHING_OPTIMIZED_FOR_UNCOMPRESSED_OBJECTS,
    "UseOriginCacheControlHeaders": _CP.USE_ORIGIN_CACHE_CONTROL_HEADERS,
    "UseOriginCacheControlHeaders-QueryStrings": _CP.USE_ORIGIN_CACHE_CONTROL_HEADERS_QUERY_STRINGS,
}
_RESPONSE_HEADERS = {
    "SecurityHeadersPolicy": _RH.SECURITY_HEADERS,
    "CORS-With-Preflight-And-SecurityHeadersPolicy": (
        _RH.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT_AND_SECURITY_HEADERS
    ),
    "CORS-and-SecurityHeadersPolicy": _RH.CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS,
    "SimpleCORS": _RH.CORS_ALLOW_ALL_ORIGINS,
    "CORS-With-Preflight": _RH.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT,
}
_METHODS = {
    "GET_HEAD": cloudfront.AllowedMethods.ALLOW_GET_HEAD,
    "GET_HEAD_OPTIONS": cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
    "ALL": cloudfront.AllowedMethods.ALLOW_ALL,
}
_VIEWER = {
    "redirect-to-https": cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    "https-only": cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
}


class EdgeGlobalConstruct(Construct):
    """What must live in us-east-1: the hosted zone (global), the certificate and the CLOUDFRONT web ACL.

    Exposes ``zone``, ``certificate`` and ``web_acl_arn`` (each None when not enabled).
    """

    def __init__(self, scope: Construct, construct_id: str, *, ctx: BuildContext) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        edge = ctx.spec.edge
        self.zone: route53.IHostedZone | None = None
        self.certificate: acm.ICertificate | None = None
        self.web_acl_arn: str | None = None
        dns = edge.dns
        if dns.enabled:
            if dns.create_zone:
                self.zone = route53.PublicHostedZone(
                    self,
                    "Zone",
                    zone_name=dns.domain_name,
                    comment=f"{ctx.name('zone')}: {ctx.spec.description}",
                )
            else:
                self.zone = route53.HostedZone.from_lookup(self, "Zone", domain_name=dns.domain_name)
            ctx.own("edge.dns", self.zone)
        if edge.cdn.enabled:
            if dns.certificate_arn:
                self.certificate = acm.Certificate.from_certificate_arn(
                    self, "Certificate", dns.certificate_arn
                )
            elif self.zone is not None:
                cert = acm.Certificate(
                    self,
                    "Certificate",
                    domain_name=dns.domain_name,
                    subject_alternative_names=sorted(
                        {f"{r.name}.{dns.domain_name}" for r in dns.records if r.name}
                    )
                    or None,
                    validation=acm.CertificateValidation.from_dns(self.zone),
                    certificate_name=ctx.name("cdn"),
                    key_algorithm=acm.KeyAlgorithm.RSA_2048,
                    transparency_logging_enabled=True,
                )
                ctx.own("edge.cdn", cert)
                self.certificate = cert
        if edge.waf.enabled:
            self.web_acl = self._web_acl()
            self.web_acl_arn = self.web_acl.attr_arn
            if EDGE_WEB_ACL in logged_web_acls(ctx.spec):
                log_web_acl(self, ctx, self.web_acl, acl_key=EDGE_WEB_ACL, spec_path=WAF_LOGGING_PATH)

    def _web_acl(self) -> wafv2.CfnWebACL:
        ctx = self.ctx
        acl = next(a for a in web_acls(ctx.spec) if a.path == EDGE_WAF_PATH)
        return build_web_acl(
            self, ctx, acl, construct_id="WebAcl", description=f"Edge protection of {ctx.name('cdn')}"
        )


class EdgeConstruct(Construct):
    """CloudFront in front of the static bucket (origin path = the static prefix, via origin access
    control) and of the API (``api_path_pattern``), logging to the logs bucket, protected by the web
    ACL, with alias records in the zone. Owns the buckets CloudFront reads (their policy names the
    distribution).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        global_: EdgeGlobalConstruct,
        api: ApiConstruct | None,
        keys: Mapping[str, kms.IKey],
        bucket_keys: list[str],
        principals: Mapping[str, iam.IPrincipal],
    ) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        spec, edge = ctx.spec, ctx.spec.edge
        cdn = edge.cdn
        self.buckets = BucketsConstruct(self, "Buckets", ctx=ctx, keys=keys, bucket_keys=bucket_keys)
        self.distribution: cloudfront.Distribution | None = None
        self._oac: cloudfront.S3OriginAccessControl | None = None
        if cdn.enabled:
            self.distribution = self._distribution(global_, api, principals)
        else:
            self.buckets.add_policies(principals)
        if global_.zone is not None:
            for i in alias_records(spec):
                self._record(i, global_.zone, api)
        if edge.shield == "advanced" and self.distribution is not None:
            protection = shield.CfnProtection(
                self, "ShieldProtection", name=ctx.name("cdn"), resource_arn=self._distribution_arn()
            )
            ctx.own("edge.cdn", protection)

    def _origin(self, target: str, origin_path: str, api: ApiConstruct | None) -> cloudfront.IOrigin:
        """The origin of a target: a bucket through the origin access control, the API, another host."""
        ctx, spec = self.ctx, self.ctx.spec
        if target == API_TARGET:
            assert api is not None
            return origins.HttpOrigin(
                api_origin_domain(api),
                origin_path=origin_path,
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                origin_id="api",
                # CloudFront overwrites a viewer's header of the same name: only it can send the secret.
                custom_headers={spec.api.origin_verify.header: origin_verify_value(ctx)}
                if spec.api.origin_verify is not None
                else None,
            )
        kind, _, key = target.partition(".")
        if kind == "origins":
            return origins.HttpOrigin(
                spec.edge.cdn.origins[key].domain_name,
                origin_path=origin_path or None,
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                origin_id=f"origin-{key}",
            )
        static = key == spec.edge.cdn.static_bucket
        # The origin gets a reference to the bucket, so CDK attaches the OAC but leaves the bucket policy
        # alone: the spec's statement (scoped to a prefix) is added by add_policies.
        bucket = s3.Bucket.from_bucket_attributes(
            self,
            "StaticOriginBucket" if static else f"OriginBucket-{key}",
            bucket_name=ctx.name(key, "buckets"),
            region=cdk.Stack.of(self).region,
        )
        return origins.S3BucketOrigin.with_origin_access_control(
            bucket,
            origin_access_control=self._origin_access_control(),
            origin_access_levels=[cloudfront.AccessLevel.READ],
            origin_path=origin_path or None,
            origin_id="static" if static else f"bucket-{key}",
        )

    def _origin_access_control(self) -> cloudfront.S3OriginAccessControl:
        """One origin access control for every bucket origin, made on first use."""
        if self._oac is None:
            ctx, cdn = self.ctx, self.ctx.spec.edge.cdn
            read = (
                f"{ctx.name(cdn.static_bucket, 'buckets')}/{cdn.static_prefix}"
                if cdn.static_bucket is not None
                else "the buckets of its behaviours"
            )
            self._oac = cloudfront.S3OriginAccessControl(
                self,
                "OriginAccessControl",
                origin_access_control_name=ctx.name("cdn-oac"),
                description=f"CloudFront access to {read}",
                signing=cloudfront.Signing.SIGV4_ALWAYS,
            )
            cdk.Annotations.of(self).acknowledge_warning(
                "@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac",
                "bucket policies grant CloudFront read on declared prefixes only (buckets.<key>.policies)",
            )
        return self._oac

    def _behavior(
        self,
        origin: cloudfront.IOrigin,
        target: str,
        cache_policy: str,
        methods: str,
        headers: str | None,
    ) -> cloudfront.BehaviorOptions:
        cdn = self.ctx.spec.edge.cdn
        return cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=_VIEWER[cdn.viewer_protocol],
            allowed_methods=_METHODS[methods],
            cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS
            if methods == "GET_HEAD_OPTIONS"
            else cloudfront.CachedMethods.CACHE_GET_HEAD,
            cache_policy=_CACHE_POLICIES[cache_policy],
            # The API sees the viewer's headers and query strings (the Host header is its own).
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER
            if target == API_TARGET
            else None,
            response_headers_policy=_RESPONSE_HEADERS[headers] if headers is not None else None,
            compress=cdn.compression,
        )

    def _distribution_arn(self) -> str:
        assert self.distribution is not None
        account_prefix = f"arn:{cdk.Aws.PARTITION}:cloudfront::{cdk.Aws.ACCOUNT_ID}"
        return f"{account_prefix}:distribution/{self.distribution.distribution_id}"

    def _record(self, i: int, zone: route53.IHostedZone, api: ApiConstruct | None) -> None:
        ctx, record = self.ctx, self.ctx.spec.edge.dns.records[i]
        if record.target == "cdn":
            assert self.distribution is not None
            alias: route53.IAliasRecordTarget = targets.CloudFrontTarget(self.distribution)
            comment = f"{record.type} alias to {ctx.name('cdn')}"
        else:
            assert api is not None and api.domain is not None
            alias = targets.ApiGatewayDomain(api.domain)
            assert ctx.spec.api.domain is not None
            comment = f"{record.type} alias to the API domain {ctx.spec.api.domain.domain_name}"
        cls = route53.ARecord if record.type == "A" else route53.AaaaRecord
        made = cls(
            self,
            f"Record-{i}",
            zone=zone,
            record_name=record.name or None,
            target=route53.RecordTarget.from_alias(alias),
            comment=comment,
        )
        ctx.own("edge.dns", made)

    def _distribution(
        self,
        global_: EdgeGlobalConstruct,
        api: ApiConstruct | None,
        principals: Mapping[str, iam.IPrincipal],
    ) -> cloudfront.Distribution:
        ctx = self.ctx
        spec, edge = ctx.spec, ctx.spec.edge
        cdn = edge.cdn
        targets = cdn_origins(spec)
        made = {target: self._origin(target, path, api) for target, path in targets.items()}
        default_target = cdn_default_origin(spec)
        default = self._behavior(
            made[default_target],
            default_target,
            cdn.default_cache_policy,
            "ALL" if default_target == API_TARGET else "GET_HEAD",
            cdn.response_headers_policy,
        )
        behaviors: dict[str, cloudfront.BehaviorOptions] = {}
        if api is not None:
            behaviors[cdn.api_path_pattern] = self._behavior(
                made[API_TARGET], API_TARGET, "CachingDisabled", "ALL", None
            )
        for behavior in cdn.behaviors:
            behaviors.setdefault(
                behavior.path_pattern,
                self._behavior(
                    made[behavior.origin],
                    behavior.origin,
                    behavior.cache_policy,
                    behavior.allowed_methods,
                    behavior.response_headers_policy,
                ),
            )
        domain_names = None
        if edge.dns.enabled and global_.certificate is not None:
            extra = sorted({f"{r.name}.{edge.dns.domain_name}" for r in edge.dns.records if r.name})
            domain_names = [edge.dns.domain_name, *extra]
        log_bucket = None
        if cdn.logs_bucket is not None:
            log_bucket = s3.Bucket.from_bucket_attributes(
                self, "LogsBucket", bucket_name=ctx.name(cdn.logs_bucket, "buckets"), region=spec.region
            )
        distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=ctx.name("cdn"),
            default_behavior=default,
            additional_behaviors=behaviors or None,
            default_root_object=cdn.default_root_object,
            domain_names=domain_names,
            certificate=global_.certificate if domain_names else None,
            minimum_protocol_version=_TLS[cdn.minimum_tls],
            ssl_support_method=cloudfront.SSLMethod.SNI if domain_names else None,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3
            if cdn.http_version == "http2and3"
            else cloudfront.HttpVersion.HTTP2,
            price_class=_PRICE_CLASSES[cdn.price_class],
            enable_ipv6=True,
            enabled=True,
            enable_logging=log_bucket is not None,
            log_bucket=log_bucket,
            log_file_prefix="cloudfront/" if log_bucket is not None else None,
            log_includes_cookies=False if log_bucket is not None else None,
            web_acl_id=global_.web_acl_arn,
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=e.error_code,
                    response_http_status=e.response_code,
                    response_page_path=e.response_page,
                    ttl=cdk.Duration.seconds(e.ttl_seconds),
                )
                for e in cdn.error_responses
            ]
            or None,
        )
        ctx.own("edge.cdn", distribution)
        if self._oac is not None:
            ctx.own("edge.cdn", self._oac)
        self.distribution = distribution
        self.buckets.add_policies(principals, cloudfront_source_arn=self._distribution_arn())
        return distribution


def api_origin_domain(api: ApiConstruct) -> str:
    """CloudFront reaches the API through its custom domain when it has one, else its execute-api host."""
    if api.domain is not None:
        return api.domain.domain_name
    return f"{api.api.rest_api_id}.execute-api.{cdk.Stack.of(api).region}.{cdk.Aws.URL_SUFFIX}"
