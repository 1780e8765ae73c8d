"""API Gateway REST API: the route tree, authorizers, validation, keys, CORS, throttling, logging."""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from archkit.spec.base import Cidr, Name, SpecModel
from archkit.spec.edge import WafSpec

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
BODY_METHODS: frozenset[str] = frozenset({"POST", "PUT", "PATCH"})


class MockSpec(SpecModel):
    """A fixed answer from API Gateway itself, no function involved (a mock integration): a health check,
    a maintenance notice."""

    status: int = Field(default=200, ge=200, le=599, description="HTTP status code of the answer.")
    body: dict[str, Any] | list[Any] | str = Field(
        default={},
        description="Body of the answer: a mapping or a list (written as JSON) or text, returned as given.",
    )
    content_type: str = Field(
        default="application/json", pattern=r"^[\w.+-]+/[\w.+-]+$", description="Content type of the body."
    )

    def body_text(self) -> str:
        """The body as API Gateway returns it (JSON with sorted keys, so the template is deterministic)."""
        if isinstance(self.body, str):
            return self.body
        return json.dumps(self.body, sort_keys=True, separators=(",", ":"))


class MethodSpec(SpecModel):
    """One method of a route, bound to a Lambda function (a bare function name is shorthand) or answered by
    API Gateway itself (`mock`)."""

    __shorthand__: ClassVar[str] = "a function name"

    function: str | None = Field(
        default=None, description="Function (key of `functions`) serving the method; none for `mock`."
    )
    authorizer: str | None = Field(
        default=None,
        description="Authorizer key, `none` for a public method, or unset to use `api.default_authorizer`.",
    )
    api_key_required: bool = Field(default=False, description="Require an API key (usage plans).")
    request_model: str | None = Field(
        default=None, description="Model (key of `api.models`) validating the body."
    )
    response_models: dict[Annotated[str, Field(pattern=r"^[1-5][0-9][0-9]$")], str] = Field(
        default={},
        description=(
            "Method responses: HTTP status code mapped to the model (key of `api.models`) describing the "
            "response body, e.g. `{'200': user}`."
        ),
    )
    validation: Literal["none", "params", "body", "all"] | None = Field(
        default=None,
        description="Request validator; unset means `all` for methods with a body and `params` otherwise.",
    )
    request_parameters: dict[str, bool] = Field(
        default={},
        description="Declared request parameters (`method.request.querystring.limit`) -> whether required.",
    )
    integration: Literal["proxy", "mapped", "vpc_link", "mock"] = Field(
        default="proxy",
        description=(
            "Lambda proxy integration, a mapped integration using the templates below, `vpc_link`: an "
            "HTTP proxy through `api.vpc_link` to the load balancer (`network.alb`), whose listener routes "
            "the method's path to `function` (which must be one of `network.alb.targets`), or `mock`: API "
            "Gateway answers with `mock` itself, no function (set when `mock` is given)."
        ),
    )
    mock: MockSpec | None = Field(
        default=None,
        description="The fixed answer of a `mock` method, e.g. `{status: 200, body: {status: ok}}`.",
    )
    ip_allow_list: list[Cidr] = Field(
        default=[],
        description=(
            "Only these client CIDRs may call the method (e.g. partner routes with an API key): a rule of "
            "the stage's web ACL blocks any other address. Behind CloudFront (`api.origin_verify`) the "
            "client address is the last one of `X-Forwarded-For`, which CloudFront sets; empty allows all."
        ),
    )
    request_templates: dict[str, str] = Field(
        default={}, description="Request mapping templates by content type (`mapped` integration)."
    )
    response_templates: dict[str, str] = Field(
        default={}, description="Response mapping templates by content type (`mapped` integration)."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"function": data}
        if isinstance(data, dict) and "mock" in data and "integration" not in data:
            return {**data, "integration": "mock"}  # `mock:` alone says what the integration is
        if isinstance(data, dict) and data.get("integration") == "mock" and data.get("mock") is None:
            return {**data, "mock": {}}  # 200 with an empty JSON object: a health check's usual answer
        return data

    def effective_validation(self) -> str:
        if self.validation is not None:
            return self.validation
        return "all" if self.request_model else "params"


class AuthorizerSpec(SpecModel):
    """A Lambda (custom) authorizer, e.g. validating JWTs."""

    type: Literal["token", "request"] = Field(default="token", description="Token or request authorizer.")
    function: str = Field(description="Function (key of `functions`) implementing the authorizer.")
    identity_source: str = Field(
        default="method.request.header.Authorization", description="Where the identity comes from."
    )
    result_ttl_seconds: int = Field(default=300, ge=0, le=3600, description="Authorization cache TTL.")
    scheme: Literal["jwt", "oauth2", "custom"] = Field(
        default="jwt", description="What the authorizer validates."
    )


class CorsSpec(SpecModel):
    """CORS preflight configuration for every route."""

    enabled: bool = Field(default=True, description="Answer CORS preflight requests.")
    allow_origins: list[str] = Field(default=[], description="Allowed origins.")
    allow_methods: list[HttpMethod] = Field(
        default=[],
        description=(
            "Allowed methods; empty (the default): every method the routes use, plus OPTIONS (a route with "
            "PATCH gets PATCH). A list that leaves out a method a route uses is an error."
        ),
    )
    allow_headers: list[str] = Field(
        default=["Authorization", "Content-Type", "X-Api-Key"], description="Allowed headers."
    )
    max_age_seconds: int = Field(default=600, ge=0, description="Preflight cache time.")
    allow_credentials: bool = Field(default=False, description="Allow credentials.")


class ThrottlingSpec(SpecModel):
    """Steady-state rate and burst limit."""

    rate: float = Field(default=10000, gt=0, description="Requests per second.")
    burst: int = Field(default=5000, ge=0, description="Burst capacity.")


class QuotaSpec(SpecModel):
    """Usage-plan quota."""

    limit: int = Field(ge=1, description="Requests per period.")
    period: Literal["DAY", "WEEK", "MONTH"] = Field(default="MONTH", description="Quota period.")


class UsagePlanSpec(SpecModel):
    """A usage plan with its API keys."""

    description: str = Field(default="", description="Who the plan is for.")
    throttling: ThrottlingSpec | None = Field(default=None, description="Per-key throttling.")
    quota: QuotaSpec | None = Field(default=None, description="Per-key quota.")
    api_keys: list[Name] = Field(default=[], description="API key names in this plan.")


class ApiLoggingSpec(SpecModel):
    """CloudWatch logging of the stage."""

    access_logs: bool = Field(default=True, description="JSON access logs to a CloudWatch log group.")
    execution_level: Literal["OFF", "ERROR", "INFO"] = Field(
        default="INFO", description="Execution logging level."
    )
    data_trace: bool = Field(default=False, description="Log full request/response bodies (may leak data).")
    metrics: bool = Field(default=True, description="Detailed CloudWatch metrics.")
    retention_days: int = Field(default=90, ge=1, description="Access log retention in days.")


class VpcLinkSpec(SpecModel):
    """VPC link for private integrations (to the ALB)."""

    enabled: bool = Field(default=False, description="Create a VPC link to the network's load balancer.")
    security_group: str | None = Field(
        default=None,
        description=(
            "Security group key (of `network.security_groups`) of the link's network interfaces in the "
            "private subnets; none shares the load balancer's group. archkit adds the rules between it and "
            "the load balancer's group on the listener port."
        ),
    )


class OriginVerifySpec(SpecModel):
    """The regional endpoint answers only requests that came through CloudFront.

    CloudFront adds `header` with the value of `secret` to every request it sends to the API origin; a web
    ACL on the stage blocks requests without it. The value is read from Secrets Manager by CloudFormation
    at deploy time (a dynamic reference), so it never appears in a template; redeploy after changing it.
    """

    secret: str = Field(description="Secret (key of `secrets`, not rotated) holding the header's value.")
    header: str = Field(
        default="x-origin-verify",
        pattern=r"^[a-z0-9-]+$",
        description="Name of the request header CloudFront adds (lower case).",
    )


DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


class ApiDomainSpec(SpecModel):
    """A regional custom domain name of the API, with its base path mappings to the stage."""

    domain_name: str = Field(
        max_length=253,
        pattern=DOMAIN_PATTERN,
        description="Fully qualified name, e.g. `api.example.com`; with `edge.dns` it lies in the hosted zone"
        " and a record `{name: api, target: api}` points it at the API.",
    )
    certificate_arn: str | None = Field(
        default=None,
        description="ACM certificate in the API's region; none issues one, DNS-validated in `edge.dns`.",
    )
    base_paths: list[Annotated[str, Field(pattern=r"^$|^[A-Za-z0-9_.-]+$")]] = Field(
        default=[""],
        min_length=1,
        description="Base paths mapped to the stage (`''` is the root: `https://api.example.com/users`).",
    )
    security_policy: Literal["TLS_1_0", "TLS_1_2"] = Field(default="TLS_1_2", description="Minimum TLS.")


class ApiSpec(SpecModel):
    """The REST API."""

    description: str = Field(default="", description="What the API serves.")
    stage: str = Field(default="v1", pattern=r"^[A-Za-z0-9_]+$", description="Deployment stage name.")
    endpoint_type: Literal["REGIONAL", "EDGE", "PRIVATE"] = Field(
        default="REGIONAL", description="Endpoint type."
    )
    routes: dict[str, dict[HttpMethod, MethodSpec]] = Field(
        default={}, description="Route tree: resource path mapped to its methods."
    )
    models: dict[Name, dict[str, Any]] = Field(
        default={}, description="Request models (JSON Schema draft 4) by name."
    )
    authorizers: dict[Name, AuthorizerSpec] = Field(default={}, description="Custom authorizers.")
    default_authorizer: str | None = Field(default=None, description="Authorizer for methods that name none.")
    cors: CorsSpec = Field(default_factory=CorsSpec, description="CORS configuration.")
    throttling: ThrottlingSpec = Field(
        default_factory=ThrottlingSpec, description="Stage throttling (10k req/s)."
    )
    api_keys: list[Name] = Field(default=[], description="API key names.")
    usage_plans: dict[Name, UsagePlanSpec] = Field(default={}, description="Usage plans.")
    logging: ApiLoggingSpec = Field(default_factory=ApiLoggingSpec, description="CloudWatch logging.")
    tracing: bool = Field(default=True, description="X-Ray tracing on the stage.")
    ip_allow_list: list[Cidr] = Field(
        default=[],
        description=(
            "Resource policy: only these CIDRs may call the API; empty allows all. API Gateway sees the "
            "address that connects to it: behind CloudFront that is CloudFront's, so there use the methods' "
            "`ip_allow_list` with `origin_verify` (checked on the client's address)."
        ),
    )
    vpc_link: VpcLinkSpec = Field(default_factory=VpcLinkSpec, description="VPC link for private APIs.")
    origin_verify: OriginVerifySpec | None = Field(
        default=None,
        description=(
            "Make the stage unreachable except through CloudFront (`edge.cdn`): a secret header CloudFront "
            "adds, checked by a regional web ACL on the stage. Unset, the execute-api endpoint is public."
        ),
    )
    domain: ApiDomainSpec | None = Field(
        default=None, description="Regional custom domain name (certificate, base path mappings)."
    )
    disable_execute_api_endpoint: bool = Field(
        default=False,
        description="Turn the default `execute-api` endpoint off: the API is reached only through `domain` "
        "(CloudFront then uses the domain as its origin).",
    )
    waf: WafSpec = Field(
        default_factory=lambda: WafSpec(enabled=False),
        description="Regional web ACL on the stage (off unless enabled): the same switches and custom rules "
        "as `edge.waf`, after origin verification and the methods' IP allow lists.",
    )
    minimum_compression_size: int | None = Field(
        default=1024, ge=0, description="Compress responses larger than this many bytes."
    )

    @model_validator(mode="after")
    def _derived_cors_methods(self) -> ApiSpec:
        if not self.cors.allow_methods:
            from archkit.spec.consistency import cors_methods

            self.cors.allow_methods = cors_methods(self)  # type: ignore[assignment]
        return self

    def methods(self) -> list[tuple[str, str, MethodSpec]]:
        """Every (path, method, spec) in declaration order."""
        return [(path, verb, m) for path, verbs in self.routes.items() for verb, m in verbs.items()]

    def ip_allow_lists(self) -> list[str]:
        """Every IP allow list, one line each (the API's resource policy, then each method's)."""
        lines = [f"whole API: {', '.join(self.ip_allow_list)}"] if self.ip_allow_list else []
        lines += [
            f"{verb} {path}: {', '.join(m.ip_allow_list)}"
            for path, verb, m in self.methods()
            if m.ip_allow_list
        ]
        return lines

    def stage_web_acl(self) -> bool:
        """Whether the stage gets a regional web ACL (`waf`, origin verification, methods' IP allow lists)."""
        return (
            self.waf.enabled
            or self.origin_verify is not None
            or any(m.ip_allow_list for _, _, m in self.methods())
        )

    def authorizer_of(self, method: MethodSpec) -> str | None:
        """The authorizer key protecting a method, or None if it is public."""
        name = method.authorizer if method.authorizer is not None else self.default_authorizer
        return None if name in (None, "none") else name
