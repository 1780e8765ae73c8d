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
from archkit.spec.wiring import api_origin_path

_PRICE_CLASSES = {
    "PriceClass_100": cloudfront.PriceClass.PRICE_CLASS_100,
    "PriceClass_200": cloudfront.PriceClass.PRICE_CLASS_200,
    "PriceClass_All": cloudfront.PriceClass.PRICE_CLASS_ALL,
}
_TLS = {
    "TLSv1.2_2019": cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
    "TLSv1.2_2021": cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
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
        oac = cloudfront.S3OriginAccessControl(
            self,
            "OriginAccessControl",
            origin_access_control_name=ctx.name("cdn-oac"),
            description=f"CloudFront access to {ctx.name(cdn.static_bucket)}/{cdn.static_prefix}",
            signing=cloudfront.Signing.SIGV4_ALWAYS,
        )
        # The origin gets a reference to the bucket, so CDK attaches the OAC but leaves the bucket policy
        # alone: the spec's statement (scoped to the static prefix) is added by add_policies below.
        origin_bucket = s3.Bucket.from_bucket_attributes(
            self,
            "StaticOriginBucket",
            bucket_name=ctx.name(cdn.static_bucket),
            region=cdk.Stack.of(self).region,
        )
        static_origin = origins.S3BucketOrigin.with_origin_access_control(
            origin_bucket,
            origin_access_control=oac,
            origin_access_levels=[cloudfront.AccessLevel.READ],
            origin_path="/" + cdn.static_prefix.strip("/"),
            origin_id="static",
        )
        cdk.Annotations.of(self).acknowledge_warning(
            "@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac",
            "the bucket policy grants CloudFront read on the static prefix only (buckets.<name>.policies)",
        )
        default = cloudfront.BehaviorOptions(
            origin=static_origin,
            viewer_protocol_policy=_VIEWER[cdn.viewer_protocol],
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            compress=cdn.compression,
        )
        behaviors: dict[str, cloudfront.BehaviorOptions] = {}
        if api is not None:
            api_origin = origins.HttpOrigin(
                api_origin_domain(api),
                origin_path=api_origin_path(spec),
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                origin_id="api",
                # CloudFront overwrites a viewer's header of the same name: only it can send the secret.
                custom_headers={spec.api.origin_verify.header: origin_verify_value(ctx)}
                if spec.api.origin_verify is not None
                else None,
            )
            behaviors[cdn.api_path_pattern] = cloudfront.BehaviorOptions(
                origin=api_origin,
                viewer_protocol_policy=_VIEWER[cdn.viewer_protocol],
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                compress=cdn.compression,
            )
        domain_names = None
        if edge.dns.enabled and global_.certificate is not None:
            extra = sorted({f"{r.name}.{edge.dns.domain_name}" for r in edge.dns.records if r.name})
            domain_names = [edge.dns.domain_name, *extra]
        log_bucket = None
        if cdn.logs_bucket is not None:
            log_bucket = s3.Bucket.from_bucket_attributes(
                self, "LogsBucket", bucket_name=ctx.name(cdn.logs_bucket), region=spec.region
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
        )
        ctx.own("edge.cdn", distribution)
        ctx.own("edge.cdn", oac)
        self.distribution = distribution
        self.buckets.add_policies(principals, cloudfront_source_arn=self._distribution_arn())
        return distribution


def api_origin_domain(api: ApiConstruct) -> str:
    """CloudFront reaches the API through its custom domain when it has one, else its execute-api host."""
    if api.domain is not None:
        return api.domain.domain_name
    return f"{api.api.rest_api_id}.execute-api.{cdk.Stack.of(api).region}.{cdk.Aws.URL_SUFFIX}"
