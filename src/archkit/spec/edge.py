"""Edge: Route 53, CloudFront, WAF and Shield."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from archkit.spec.base import Cidr, Name, SpecModel

WAF_RULE_NAME = r"^[A-Za-z0-9_-]{1,128}$"
"""WAF rule names: letters, digits, hyphens and underscores."""
WAF_RATE_WINDOWS = (60, 120, 300, 600)
"""The evaluation windows (seconds) WAF offers for rate-based rules."""


class DnsRecordSpec(SpecModel):
    """An alias record in the hosted zone."""

    name: str = Field(default="", description="Record name relative to the zone; empty for the apex.")
    type: Literal["A", "AAAA"] = Field(default="A", description="Alias record type.")
    target: Literal["cdn", "api"] = Field(default="cdn", description="What the alias points at.")


class DnsSpec(SpecModel):
    """Route 53 hosted zone and alias records."""

    enabled: bool = Field(default=True, description="Manage DNS in Route 53.")
    domain_name: str = Field(
        default="example.com",
        max_length=253,
        pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
        description="Domain served by CloudFront.",
    )
    create_zone: bool = Field(default=True, description="Create the public hosted zone (else look it up).")
    records: list[DnsRecordSpec] = Field(
        default=[DnsRecordSpec(), DnsRecordSpec(type="AAAA")],
        description="Alias records.",
    )
    certificate_arn: str | None = Field(
        default=None,
        description="ACM certificate in us-east-1 for the domain; none issues one (DNS-validated).",
    )


CachePolicyName = Literal[
    "CachingOptimized",
    "CachingDisabled",
    "CachingOptimizedForUncompressedObjects",
    "UseOriginCacheControlHeaders",
    "UseOriginCacheControlHeaders-QueryStrings",
]
"""CloudFront's managed cache policies, by name."""

ResponseHeadersPolicyName = Literal[
    "SecurityHeadersPolicy",
    "CORS-With-Preflight-And-SecurityHeadersPolicy",
    "CORS-and-SecurityHeadersPolicy",
    "SimpleCORS",
    "CORS-With-Preflight",
]
"""CloudFront's managed response headers policies, by name."""


class CdnOriginSpec(SpecModel):
    """Another HTTPS origin of the distribution (a service outside this spec)."""

    domain_name: str = Field(
        pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", description="Origin host name."
    )
    origin_path: str = Field(
        default="", pattern=r"^$|^/[^*?]*[^/]$", description="Path prefix at the origin."
    )


class CdnBehaviorSpec(SpecModel):
    """A cache behaviour: requests matching the path pattern go to the origin, cached by the policy."""

    path_pattern: str = Field(
        pattern=r"^/?[A-Za-z0-9_\-.*$/~\"'@:+&?]{1,255}$", description="e.g. `/media/*`."
    )
    origin: str = Field(
        description="`api` (the REST API), `buckets.<key>` (read through the origin access control; the "
        "bucket's policy grants `cloudfront`) or `origins.<key>` (another HTTPS origin).",
    )
    cache_policy: CachePolicyName = Field(default="CachingOptimized", description="Managed cache policy.")
    allowed_methods: Literal["GET_HEAD", "GET_HEAD_OPTIONS", "ALL"] = Field(
        default="GET_HEAD", description="Methods CloudFront forwards."
    )
    response_headers_policy: ResponseHeadersPolicyName | None = Field(
        default="SecurityHeadersPolicy", description="Managed response headers policy; none adds no headers."
    )


class CdnErrorResponseSpec(SpecModel):
    """What CloudFront answers for an origin's error (a single-page app: 200 /index.html for 403 and 404)."""

    error_code: int = Field(ge=400, le=599, description="Origin status code, e.g. 404.")
    response_code: int | None = Field(default=200, ge=200, le=599, description="Status sent to the viewer.")
    response_page: str | None = Field(
        default="/index.html", pattern=r"^/", description="Object served instead (path from the root)."
    )
    ttl_seconds: int = Field(default=10, ge=0, description="How long CloudFront caches the error response.")


class CdnSpec(SpecModel):
    """The CloudFront distribution in front of the static assets and the API."""

    enabled: bool = Field(default=True, description="Create the distribution.")
    static_bucket: str | None = Field(
        default="assets",
        description="Bucket key serving static assets (S3 origin of the default behaviour); none for a "
        "distribution without one (`default_origin` names the default behaviour's origin).",
    )
    static_prefix: str = Field(
        default="static/", description="Declared prefix CloudFront reads (origin path)."
    )
    origin_access: Literal["origin_access_control", "origin_access_identity"] = Field(
        default="origin_access_control",
        description=(
            "How CloudFront reads the static prefix (the seed's 'CloudFront OAI Read Access on /static'): an "
            "origin access control (SigV4, recommended) or a legacy origin access identity."
        ),
    )
    api_path_pattern: str = Field(default="/api/*", description="Path pattern routed to the API origin.")
    default_root_object: str = Field(default="index.html", description="Object served for `/`.")
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = Field(
        default="PriceClass_100", description="Edge locations used."
    )
    compression: bool = Field(default=True, description="Compress responses at the edge.")
    viewer_protocol: Literal["redirect-to-https", "https-only"] = Field(
        default="redirect-to-https", description="Viewer protocol policy."
    )
    minimum_tls: Literal["TLSv1.2_2019", "TLSv1.2_2021"] = Field(
        default="TLSv1.2_2021", description="Minimum viewer TLS protocol."
    )
    http_version: Literal["http2", "http2and3"] = Field(default="http2and3", description="HTTP versions.")
    logs_bucket: str | None = Field(
        default=None, description="Bucket key for standard access logs; none disables."
    )
    default_origin: str | None = Field(
        default=None,
        description="Origin of the default behaviour (`api`, `buckets.<key>`, `origins.<key>`); none is the "
        "static bucket.",
    )
    default_cache_policy: CachePolicyName = Field(
        default="CachingOptimized", description="Managed cache policy of the default behaviour."
    )
    response_headers_policy: ResponseHeadersPolicyName | None = Field(
        default="SecurityHeadersPolicy",
        description="Managed response headers policy (security headers) of the default behaviour.",
    )
    origins: dict[Name, CdnOriginSpec] = Field(default={}, description="Other HTTPS origins by key.")
    behaviors: list[CdnBehaviorSpec] = Field(
        default=[],
        description="Cache behaviours beside the API's (`api_path_pattern`), matched in this order.",
    )
    error_responses: list[CdnErrorResponseSpec] = Field(
        default=[],
        description="Custom error responses (a single-page app: 200 /index.html for 403 and 404).",
    )


WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"
"""WAF delivers logs only to a CloudWatch log group whose name starts with this."""


class WafLoggingSpec(SpecModel):
    """Logging of the web ACL's requests to a CloudWatch log group `aws-waf-logs-<name>` in us-east-1,
    encrypted with a key of its own (rotated), credentials headers redacted."""

    enabled: bool = Field(default=False, description="Log the requests the web ACL inspects.")
    retention_days: int = Field(default=90, ge=1, description="Log retention in days.")
    redacted_headers: list[str] = Field(
        default=["authorization", "x-api-key"],
        description="Request headers replaced by `REDACTED` in the logs (credentials).",
    )


class WafRateLimitSpec(SpecModel):
    """A rate-based statement: requests per window per client address, or per value of a header."""

    limit: int = Field(ge=10, description="Requests per window before the rule's action applies.")
    window_seconds: int = Field(
        default=300, description="Evaluation window in seconds: 60, 120, 300 or 600.", examples=[300]
    )
    path: str | None = Field(
        default=None,
        pattern=r"^/",
        description="Count only requests whose URI path starts with this (e.g. `/api/auth/login`).",
    )
    header: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9-]+$",
        description="Aggregate per value of this request header (lower case, e.g. `x-tenant-id`) instead of "
        "per client address.",
    )

    @field_validator("window_seconds")
    @classmethod
    def _window(cls, value: int) -> int:
        if value not in WAF_RATE_WINDOWS:
            raise ValueError(
                f"{value} is not a WAF evaluation window ({', '.join(map(str, WAF_RATE_WINDOWS))})"
            )
        return value


class WafManagedGroupSpec(SpecModel):
    """A managed rule group with rule-level exclusions and overrides."""

    name: str = Field(
        pattern=r"^[A-Za-z0-9_-]{1,128}$", description="Rule group name, e.g. `AWSManagedRulesCommonRuleSet`."
    )
    vendor: str = Field(default="AWS", pattern=r"^[A-Za-z0-9_ -]{1,128}$", description="Vendor of the group.")
    excluded_rules: list[str] = Field(
        default=[], description="Rules of the group that only count (their action is overridden to count)."
    )
    overrides: dict[str, Literal["allow", "block", "count", "captcha", "challenge"]] = Field(
        default={}, description="Rules of the group, each with the action it takes instead of its own."
    )


WafRuleAction = Literal["block", "count", "allow"]
WAF_STATEMENTS = ("rate_limit", "ip_set", "geo_match", "managed")
"""The statement fields of a custom rule: exactly one is set."""


class WafRuleSpec(SpecModel):
    """A custom rule of a web ACL: one statement and the action taken when it matches (`count` only
    records the match). Custom rules are evaluated in the order given, before the switches' rules."""

    name: str = Field(pattern=WAF_RULE_NAME, description="Rule name (also its CloudWatch metric).")
    action: WafRuleAction = Field(
        default="block",
        description="What a match does; for a managed group `block` applies the group's own actions and "
        "`count` turns the whole group to counting.",
    )
    rate_limit: WafRateLimitSpec | None = Field(default=None, description="Rate-based statement.")
    ip_set: list[Cidr] | None = Field(
        default=None, description="Client addresses (an IP set) matched by the rule: allow or block them."
    )
    geo_match: list[str] | None = Field(
        default=None, description="ISO 3166 alpha-2 country codes of the client address."
    )
    managed: WafManagedGroupSpec | None = Field(default=None, description="A managed rule group.")

    @model_validator(mode="after")
    def _one_statement(self) -> WafRuleSpec:
        given = [f for f in WAF_STATEMENTS if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a WAF rule has exactly one of {', '.join(WAF_STATEMENTS)}"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.action == "allow" and given[0] in ("rate_limit", "managed"):
            raise ValueError(f"action allow is not possible for a {given[0]} rule (block or count)")
        return self

    def statement(self) -> str:
        """Which statement field the rule sets."""
        return next(f for f in WAF_STATEMENTS if getattr(self, f) is not None)


class WafSpec(SpecModel):
    """A WAF web ACL: `edge.waf` protects the CloudFront distribution (scope CLOUDFRONT, in us-east-1),
    `api.waf` the API stage (regional)."""

    enabled: bool = Field(default=True, description="Create and attach the web ACL.")
    rate_limit: int | None = Field(
        default=2000, ge=100, description="Requests per 5 minutes per IP before blocking; none disables."
    )
    sql_injection: bool = Field(default=True, description="AWS managed SQL database rule group.")
    xss: bool = Field(default=True, description="AWS managed common rule set (XSS and OWASP top 10).")
    known_bad_inputs: bool = Field(default=True, description="AWS managed known bad inputs rule group.")
    ip_reputation: bool = Field(default=True, description="Amazon IP reputation list.")
    bot_control: bool = Field(default=False, description="AWS managed Bot Control rule group (paid).")
    geo_block: list[str] = Field(
        default=[], description="ISO 3166 alpha-2 country codes to block.", examples=[["KP", "IR"]]
    )
    blocked_ips: list[Cidr] = Field(default=[], description="Addresses always blocked.")
    rules: list[WafRuleSpec] = Field(
        default=[],
        description="Custom rules (rate limits per path or header, IP sets, geo match, managed groups with "
        "exclusions), evaluated in this order before the rules of the switches above.",
    )
    logging: WafLoggingSpec = Field(
        default_factory=WafLoggingSpec, description="Request logs (Security Hub WAF.11)."
    )


class EdgeSpec(SpecModel):
    """Everything between the internet and the origins."""

    dns: DnsSpec = Field(default_factory=DnsSpec, description="Route 53.")
    cdn: CdnSpec = Field(default_factory=CdnSpec, description="CloudFront.")
    waf: WafSpec = Field(default_factory=WafSpec, description="WAF rules.")
    shield: Literal["standard", "advanced"] = Field(
        default="standard", description="DDoS protection: Shield Standard (free, automatic) or Advanced."
    )
