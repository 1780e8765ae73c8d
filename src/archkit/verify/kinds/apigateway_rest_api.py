"""API Gateway REST API: resources and methods (embedded, one paginated call), authorizers, validators,
models, the stage, API keys and usage plans.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import API_WEB_ACL, logged_web_acls
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    api_model_name,
    physical_name,
)
from archkit.spec.wiring import (
    alb_route,
    api_path_sample,
)
from archkit.verify.kinds.base import (
    Kind,
    identity,
    method_key,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    is_not_found,
    paginate,
)
from archkit.verify.kinds.wafv2_web_acl import read_logging
from archkit.verify.state import ResourceState, SortedSet, StateModel

# --- state -----------------------------------------------------------------------------------------------


class MethodState(StateModel):
    function: str | None = Field(
        description=(
            "Spec path of the integrated function; for a `vpc_link` method the function the load balancer "
            "routes the integration's path to (by the spec's `network.alb.targets`); None for `mock`."
        )
    )
    integration: Literal["proxy", "mapped", "vpc_link", "mock", "other"]
    authorizer: str | None = Field(description="Spec path of the authorizer; None for a public method.")
    api_key_required: bool
    validation: Literal["none", "params", "body", "all"]
    request_model: str | None
    request_parameters: dict[str, bool]
    request_templates: dict[str, str]
    response_templates: dict[str, str]
    vpc_link: str | None = Field(default=None, description="`vpc_link` methods: spec path of the VPC link.")
    integration_target: str | None = Field(
        default=None, description="`vpc_link` methods: spec path of the load balancer the link reaches."
    )
    mock_status: int | None = Field(
        default=None, description="`mock` methods: the status code API Gateway answers with."
    )


class ThrottlingState(StateModel):
    rate: float
    burst: int


class QuotaState(StateModel):
    limit: int
    period: str


class StageLoggingState(StateModel):
    access_logs: bool
    execution_level: str
    data_trace: bool
    metrics: bool


class CorsState(StateModel):
    allow_origins: SortedSet
    allow_methods: SortedSet
    allow_headers: SortedSet
    max_age_seconds: int | None
    allow_credentials: bool


class ApiState(ResourceState):
    kind: ClassVar[str] = "api"
    description: str
    endpoint_type: str
    stage: str
    methods: dict[str, MethodState] = Field(
        description="`<VERB> <path>` -> method (CORS preflights excluded)."
    )
    models: dict[str, Any] = Field(description="Model name -> JSON schema.")
    cors: CorsState | None = Field(description="CORS preflight answered on every route; None when none is.")
    throttling: ThrottlingState
    logging: StageLoggingState
    tracing: bool
    minimum_compression_size: int | None
    ip_allow_list: SortedSet
    disable_execute_api_endpoint: bool = Field(
        default=False, description="The default execute-api endpoint is off (reached through the domain)."
    )
    web_acl: str | None = Field(
        default=None,
        description="Name of the stage's regional web ACL (not a spec resource of its own: part of `api`).",
    )
    web_acl_logging: bool = Field(
        default=False, description="The stage's web ACL logs its requests (False without a web ACL)."
    )


class AuthorizerState(ResourceState):
    kind: ClassVar[str] = "authorizer"
    TAGGABLE: ClassVar[bool] = False
    type: Literal["token", "request"]
    function: str = Field(description="Spec path of the authorizer function.")
    identity_source: str
    result_ttl_seconds: int


class ApiKeyState(ResourceState):
    kind: ClassVar[str] = "api_key"
    enabled: bool


class UsagePlanState(ResourceState):
    kind: ClassVar[str] = "usage_plan"
    description: str
    throttling: ThrottlingState | None
    quota: QuotaState | None
    api_keys: SortedSet = Field(description="Spec paths of the plan's API keys.")
    stages: SortedSet = Field(description="`<api spec path>:<stage>` the plan applies to.")


# --- desired ---------------------------------------------------------------------------------------------


_PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\+?\}")


def path_parameters(path: str) -> list[str]:
    """Names of the path parameters of an API resource path (`/api/users/{id}` -> `[id]`)."""
    return _PATH_PARAMETER.findall(path)


def _api(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    api = spec.api
    base = identity(spec, res, STATES[res.type])
    if res.type == "AWS::ApiGateway::RestApi":
        methods = {}
        for path, verb, m in api.methods():
            auth = api.authorizer_of(m)
            mapped = m.integration == "mapped"
            answers = m.mock.body_text() if m.mock is not None else None
            via_link = m.integration == "vpc_link"
            parameters = dict(m.request_parameters)
            if via_link:  # the integration maps each path parameter, so the method declares it
                parameters.update({f"method.request.path.{p}": True for p in path_parameters(path)})
            methods[method_key(verb, path)] = MethodState(
                function=f"functions.{m.function}" if m.function else None,
                integration=m.integration,
                authorizer=f"api.authorizers.{auth}" if auth else None,
                api_key_required=m.api_key_required,
                validation=m.effective_validation(),
                request_model=api_model_name(m.request_model) if m.request_model else None,
                request_parameters=parameters,
                request_templates=dict(m.request_templates) if mapped else {},
                response_templates=dict(m.response_templates)
                if mapped
                else ({m.mock.content_type: answers} if m.mock is not None and answers is not None else {}),
                vpc_link="api.vpc_link" if via_link else None,
                integration_target="network.alb" if via_link else None,
                mock_status=m.mock.status if m.mock is not None else None,
            )
        cors = None
        if api.cors.enabled:
            c = api.cors
            cors = CorsState(
                allow_origins=list(c.allow_origins),
                allow_methods=list(c.allow_methods),
                allow_headers=list(c.allow_headers),
                max_age_seconds=c.max_age_seconds,
                allow_credentials=c.allow_credentials,
            )
        lg = api.logging
        return [
            ApiState(
                **base,
                description=api.description,
                endpoint_type=api.endpoint_type,
                stage=api.stage,
                methods=methods,
                models={api_model_name(name): schema for name, schema in api.models.items()},
                cors=cors,
                throttling=ThrottlingState(rate=api.throttling.rate, burst=api.throttling.burst),
                logging=StageLoggingState(
                    access_logs=lg.access_logs,
                    execution_level=lg.execution_level,
                    data_trace=lg.data_trace,
                    metrics=lg.metrics,
                ),
                tracing=api.tracing,
                minimum_compression_size=api.minimum_compression_size,
                web_acl=physical_name(spec, API_WEB_ACL) if api.stage_web_acl() else None,
                web_acl_logging=API_WEB_ACL in logged_web_acls(spec),
                ip_allow_list=list(api.ip_allow_list),
                disable_execute_api_endpoint=api.disable_execute_api_endpoint,
            )
        ]
    key = res.path.split(".")[-1]
    if res.type == "AWS::ApiGateway::Authorizer":
        a = api.authorizers[key]
        return [
            AuthorizerState(
                **base,
                type=a.type,
                function=f"functions.{a.function}",
                identity_source=a.identity_source,
                result_ttl_seconds=a.result_ttl_seconds,
            )
        ]
    if res.type == "AWS::ApiGateway::ApiKey":
        return [ApiKeyState(**base, enabled=True)]
    if res.type == "AWS::ApiGateway::UsagePlan":
        p = api.usage_plans[key]
        return [
            UsagePlanState(
                **base,
                description=p.description,
                throttling=ThrottlingState(rate=p.throttling.rate, burst=p.throttling.burst)
                if p.throttling
                else None,
                quota=QuotaState(limit=p.quota.limit, period=p.quota.period) if p.quota else None,
                api_keys=[f"api.api_keys.{k}" for k in p.api_keys],
                stages=[f"api:{api.stage}"],
            )
        ]
    return []


# --- observed --------------------------------------------------------------------------------------------


DEFAULT_MODELS = frozenset({"Empty", "Error"})
"""Models API Gateway creates in every REST API."""

_CORS_HEADER = "method.response.header.Access-Control-Allow-"


def function_arn_of(uri: str) -> str:
    """The function ARN inside a Lambda integration URI (`.../functions/<arn>/invocations`)."""
    if "/functions/" in uri:
        return uri.split("/functions/", 1)[1].rsplit("/invocations", 1)[0]
    return uri


def _unquote(value: str) -> str:
    return value.strip().strip("'")


def _cors(options: dict[str, Any]) -> CorsState:
    integration = options.get("methodIntegration") or {}
    responses = integration.get("integrationResponses") or {}
    params: dict[str, str] = {}
    for resp in responses.values():
        params.update(resp.get("responseParameters") or {})
    get = {k[len(_CORS_HEADER) :]: _unquote(v) for k, v in params.items() if k.startswith(_CORS_HEADER)}
    origins = get.get("Origin", "")
    max_age = params.get("method.response.header.Access-Control-Max-Age")
    return CorsState(
        allow_origins=[o.strip() for o in origins.split(",") if o.strip()],
        allow_methods=[m.strip() for m in get.get("Methods", "").split(",") if m.strip()],
        allow_headers=[h.strip() for h in get.get("Headers", "").split(",") if h.strip()],
        max_age_seconds=int(_unquote(max_age)) if max_age else None,
        allow_credentials=get.get("Credentials", "false").lower() == "true",
    )


def _ip_allow_list(policy: str | None) -> list[str]:
    if not policy:
        return []
    try:
        doc = json.loads(policy)
    except json.JSONDecodeError:
        doc = json.loads(policy.replace('\\"', '"'))
    statements = doc.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    cidrs: list[str] = []
    for st in statements:
        cond = st.get("Condition") or {}
        key = "NotIpAddress" if st.get("Effect") == "Deny" else "IpAddress"
        value = (cond.get(key) or {}).get("aws:SourceIp", [])
        cidrs.extend([value] if isinstance(value, str) else value)
    return cidrs


def routed_function(spec: ArchSpec, uri: str) -> str:
    """The function the spec's load balancer routes a VPC-link integration's URI to (`functions.<key>`), or
    the URI itself when no target claims its path."""
    key = alb_route(spec, api_path_sample(urlsplit(uri).path or "/"))
    return f"functions.{key}" if key is not None else uri


def _method(
    m: dict[str, Any],
    validators: dict[str, str],
    spec: ArchSpec,
    unreadable: Unreadable,
) -> MethodState:
    integration = m.get("methodIntegration") or {}
    via_link = integration.get("type") == "HTTP_PROXY" and integration.get("connectionType") == "VPC_LINK"
    kind = {"AWS_PROXY": "proxy", "AWS": "mapped", "MOCK": "mock"}.get(
        integration.get("type", ""), "vpc_link" if via_link else "other"
    )
    link, target = integration.get("connectionId"), integration.get("integrationTarget")
    responses = integration.get("integrationResponses") or {}
    response_templates: dict[str, str] = {}
    answer: str | None = None
    for code in sorted(responses):
        if code == "200" or not response_templates:
            response_templates = dict(responses[code].get("responseTemplates") or {})
            answer = code
    models = m.get("requestModels") or {}
    uri = integration.get("uri", "")
    return MethodState(
        function=None if kind == "mock" else routed_function(spec, uri) if via_link else function_arn_of(uri),
        integration=kind,
        authorizer=m.get("authorizerId")
        if m.get("authorizationType") in ("CUSTOM", "COGNITO_USER_POOLS")
        else None,
        api_key_required=bool(m.get("apiKeyRequired")),
        validation=validators.get(m.get("requestValidatorId") or "", "none"),
        request_model=next(iter(models.values()), None),
        request_parameters={k: bool(v) for k, v in (m.get("requestParameters") or {}).items()},
        request_templates=dict(integration.get("requestTemplates") or {}) if kind == "mapped" else {},
        response_templates=response_templates if kind in ("mapped", "mock") else {},
        vpc_link=link if via_link else None,
        integration_target=target if via_link else None,
        mock_status=int(answer) if kind == "mock" and answer and answer.isdigit() else None,
    )


def collect(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::ApiGateway::RestApi")), None)
    if want is None:
        return
    apigw = ctx.aws.client("apigateway")
    region = ctx.aws.options.region
    apis = paginate(apigw, "get_rest_apis", "items")
    api = next((a for a in apis if a.get("name") == want.physical_id), None)
    for other in apis:
        if other is not api:
            ctx.candidate("AWS::ApiGateway::RestApi", other["id"], other.get("tags") or {})
    if api is None:
        return
    api_id = api["id"]
    stage_name = getattr(want, "stage", "v1")
    u = Unreadable()
    resources = paginate(apigw, "get_resources", "items", restApiId=api_id, embed=["methods"])
    authorizers = paginate(apigw, "get_authorizers", "items", restApiId=api_id)
    validators = {
        v["id"]: (
            "all"
            if v.get("validateRequestBody") and v.get("validateRequestParameters")
            else "body"
            if v.get("validateRequestBody")
            else "params"
            if v.get("validateRequestParameters")
            else "none"
        )
        for v in paginate(apigw, "get_request_validators", "items", restApiId=api_id)
    }
    models = {}
    for model in paginate(apigw, "get_models", "items", restApiId=api_id):
        if model["name"] in DEFAULT_MODELS:
            continue
        schema = json.loads(model.get("schema") or "{}")
        models[model["name"]] = {k: v for k, v in schema.items() if k not in ("$schema", "title")}
    stage = (
        u.read("stage", lambda: apigw.get_stage(restApiId=api_id, stageName=stage_name), "NotFoundException")
        or {}
    )
    settings = (stage.get("methodSettings") or {}).get("*/*", {})
    stage_arn = f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/{stage_name}"
    wafv2 = ctx.aws.client("wafv2")
    acl = u.read(
        "web_acl",
        lambda: wafv2.get_web_acl_for_resource(ResourceArn=stage_arn).get("WebACL"),
        "WAFNonexistentItemException",
    )

    methods: dict[str, MethodState] = {}
    cors: CorsState | None = None
    for res in sorted(resources, key=lambda r: r["path"]):
        verbs = res.get("resourceMethods") or {}
        for verb, m in sorted(verbs.items()):
            m = {**m, "httpMethod": verb, "resourcePath": res["path"]}
            integration = m.get("methodIntegration") or {}
            if verb == "OPTIONS" and integration.get("type") == "MOCK":
                if cors is None:
                    cors = _cors(m)
                continue
            methods[method_key(verb, res["path"])] = _method(m, validators, ctx.spec, u)
    ctx.add(
        ApiState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=api_id,
            arn=f"arn:aws:apigateway:{region}::/restapis/{api_id}",
            ids=[
                api_id,
                f"https://{api_id}.execute-api.{region}.amazonaws.com/{stage_name}",
                f"{api_id}.execute-api.{region}.amazonaws.com",
            ],
            unreadable=u.reasons,
            tags=api.get("tags") or {},
            description=api.get("description", ""),
            endpoint_type=((api.get("endpointConfiguration") or {}).get("types") or ["EDGE"])[0],
            stage=stage.get("stageName", ""),
            methods=methods,
            models=models,
            cors=cors,
            throttling=ThrottlingState(
                rate=settings.get("throttlingRateLimit", 10000.0),
                burst=settings.get("throttlingBurstLimit", 5000),
            ),
            logging=StageLoggingState(
                access_logs=bool((stage.get("accessLogSettings") or {}).get("destinationArn")),
                execution_level=settings.get("loggingLevel", "OFF"),
                data_trace=bool(settings.get("dataTraceEnabled")),
                metrics=bool(settings.get("metricsEnabled")),
            ),
            tracing=bool(stage.get("tracingEnabled")),
            minimum_compression_size=api.get("minimumCompressionSize"),
            ip_allow_list=_ip_allow_list(api.get("policy")),
            web_acl=(acl or {}).get("Name"),
            web_acl_logging=read_logging(wafv2, u, acl["ARN"], "web_acl_logging") if acl else False,
            disable_execute_api_endpoint=bool(api.get("disableExecuteApiEndpoint")),
        )
    )

    by_name = {a["name"]: a for a in authorizers}
    for want_auth in ctx.wanted("AWS::ApiGateway::Authorizer"):
        a = by_name.get(want_auth.physical_id)
        if a is None:
            continue
        ctx.add(
            AuthorizerState(
                path=want_auth.path,
                resource_type=want_auth.resource_type,
                physical_id=a["id"],
                ids=[a["id"]],
                type="request" if a.get("type") == "REQUEST" else "token",
                function=function_arn_of(a.get("authorizerUri", "")),
                identity_source=a.get("identitySource", ""),
                result_ttl_seconds=a.get("authorizerResultTtlInSeconds", 300),
            )
        )
    _keys_and_plans(ctx, apigw, api_id)


def _keys_and_plans(ctx: Context, apigw: Any, api_id: str) -> None:
    wanted_keys = ctx.wanted("AWS::ApiGateway::ApiKey")
    wanted_plans = ctx.wanted("AWS::ApiGateway::UsagePlan")
    key_paths: dict[str, str] = {}
    if wanted_keys:
        keys = {k["name"]: k for k in paginate(apigw, "get_api_keys", "items", includeValues=False)}
        for want in wanted_keys:
            k = keys.get(want.physical_id)
            if k is None:
                continue
            key_paths[k["id"]] = want.path
            ctx.add(
                ApiKeyState(
                    path=want.path,
                    resource_type=want.resource_type,
                    physical_id=k["id"],
                    ids=[k["id"]],
                    tags=k.get("tags") or {},
                    enabled=bool(k.get("enabled")),
                )
            )
    if not wanted_plans:
        return
    plans = {p["name"]: p for p in paginate(apigw, "get_usage_plans", "items")}

    def read(want: Any) -> Any:
        p = plans.get(want.physical_id)
        if p is None:
            return None
        try:
            plan_keys = paginate(apigw, "get_usage_plan_keys", "items", usagePlanId=p["id"])
        except Exception as exc:
            if not is_not_found(exc):
                raise
            plan_keys = []
        thr = p.get("throttle")
        quota = p.get("quota")
        return UsagePlanState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=p["id"],
            ids=[p["id"]],
            tags=p.get("tags") or {},
            description=p.get("description", ""),
            throttling=ThrottlingState(rate=thr.get("rateLimit", 0), burst=thr.get("burstLimit", 0))
            if thr
            else None,
            quota=QuotaState(limit=quota["limit"], period=quota.get("period", "MONTH")) if quota else None,
            api_keys=[key_paths.get(k["id"], k["id"]) for k in plan_keys],
            stages=[
                f"{'api' if s['apiId'] == api_id else s['apiId']}:{s.get('stage', '')}"
                for s in p.get("apiStages", [])
            ],
        )

    ctx.each_desired(wanted_plans, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::ApiGateway::RestApi": ApiState,
    "AWS::ApiGateway::Authorizer": AuthorizerState,
    "AWS::ApiGateway::ApiKey": ApiKeyState,
    "AWS::ApiGateway::UsagePlan": UsagePlanState,
}

KIND = Kind(
    states=STATES,
    desired=_api,
    collect=collect,
    reads={
        "apigateway": (
            "GetRestApis",
            "GetResources",
            "GetAuthorizers",
            "GetRequestValidators",
            "GetModels",
            "GetStage",
            "GetApiKeys",
            "GetUsagePlans",
            "GetUsagePlanKeys",
        ),
        "wafv2": ("GetWebACLForResource", "GetLoggingConfiguration"),
    },
    security=frozenset(
        {
            "web_acl",
            "web_acl_logging",
            "ip_allow_list",
            "disable_execute_api_endpoint",
            "methods[*].authorizer",
            "methods[*].api_key_required",
            "methods[*].validation",
        }
    ),
)
