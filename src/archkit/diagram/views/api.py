"""``api``: the route tree method by method to the function serving it, and the API's features."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.diagram.model import OFF_SUFFIX, View, ViewBuilder
from archkit.diagram.views.common import grid, on_off, plural

if TYPE_CHECKING:
    from archkit.spec.api import MethodSpec
    from archkit.spec.system import ArchSpec


def route_id(path: str) -> str:
    """Node id of a route resource: its spec path ``api.routes./api/users``."""
    return f"api.routes.{path}"


def build(spec: ArchSpec) -> list[View]:
    """The route tree (method by method to the function serving it) and, apart, the API's features."""
    if not spec.api.routes:
        b = ViewBuilder("api", "API Gateway Architecture", "LR")
        b.node("api", "API Gateway (no routes declared)", "apigw", ref=None)
        return [b.build()]
    return [routes(spec), features(spec)]


def routes(spec: ArchSpec) -> View:
    api = spec.api
    b = ViewBuilder(
        "api",
        "API Gateway routes",
        "LR",
        caption="The REST API's route tree: each method, its authorisation and validation, and the Lambda "
        "function (or the VPC link) serving it.",
    )
    b.group("api#routes", f"REST API {spec.name_of('api')} · stage {api.stage}", kind="api", ref=None)
    b.node(
        "api",
        "REST API",
        "apigw",
        group="api#routes",
        details=[api.endpoint_type, f"stage {api.stage}", plural(len(api.methods()), "method")],
    )
    # Resources of the route tree, including the intermediate ones (``/api``, ``/api/auth``).
    for path in api.routes:
        parts = [p for p in path.split("/") if p]
        for i in range(1, len(parts) + 1):
            sub = "/" + "/".join(parts[:i])
            if not b.has(route_id(sub)):
                parent = "/" + "/".join(parts[: i - 1]) if i > 1 else None
                b.node(
                    route_id(sub),
                    "/" + parts[i - 1],
                    "route",
                    group="api#routes",
                    ref=route_id(sub) if sub in api.routes else None,
                )
                b.edge(route_id(parent) if parent else "api", route_id(sub), kind="tree")
    methods = []
    for path, verb, method in api.methods():
        node = f"{route_id(path)}.{verb}"
        b.node(node, verb, "method", group="api#routes", details=_method_details(spec, method))
        b.edge(route_id(path), node, kind="tree")
        methods.append(node)
    # All methods in one column, in route order.
    b.row(*methods)

    b.group("functions", "Lambda functions", kind="functions", ref=None)
    served = [m.function for _, _, m in api.methods() if m.integration != "vpc_link" and m.function]
    for fn in dict.fromkeys(served):
        b.node(f"functions.{fn}", f"Lambda {fn}", "lambda", group="functions")
    for path, verb, method in api.methods():
        if method.integration == "vpc_link":
            if not b.has("api.vpc_link"):
                b.node(
                    "api.vpc_link",
                    "VPC link → ALB",
                    "vpclink",
                    group="functions",
                    details=["see API features"],
                )
            b.edge(f"{route_id(path)}.{verb}", "api.vpc_link", kind="flow")
        elif method.function is not None:  # a mock method answers itself: no edge, its node says so
            b.edge(f"{route_id(path)}.{verb}", f"functions.{method.function}", kind="invokes")
    # Functions in the order the methods reach them, so that the invoke edges barely cross.
    b.row(*b.members("functions"))
    return b.build()


def features(spec: ArchSpec) -> View:
    b = ViewBuilder(
        "api-features",
        "API Gateway features",
        "TB",
        caption="What the API enforces and offers besides its routes: validation, keys and usage plans, "
        "CORS, mapping, throttling, logging, authorizers, IP allow list and the VPC link.",
    )
    b.group("functions", "Lambda functions", kind="functions", ref=None)
    _features(b, spec)
    grid(b, b.members("api#features"), 3)
    if spec.network.alb.enabled:
        linked = any(m.integration == "vpc_link" for _, _, m in spec.api.methods())
        _load_balancer(b, spec, linked)
    return b.build()


def _load_balancer(b: ViewBuilder, spec: ArchSpec, linked: bool) -> None:
    """The private integration: VPC link → ALB → listener → one target group per Lambda target."""
    alb = spec.network.alb
    listener = alb.listener
    b.node(
        "network.alb",
        "Application Load Balancer",
        "alb",
        details=[spec.name_of("alb"), "internet-facing" if alb.internet_facing else "internal"],
    )
    if linked:
        b.edge("api.vpc_link", "network.alb", listener.protocol, kind="flow")
    b.node(
        "network.alb.listener",
        f"Listener {listener.protocol} {listener.port}",
        "feature",
        details=[listener.ssl_policy if listener.protocol == "HTTPS" else "plain HTTP", "else 404"],
    )
    b.edge("network.alb", "network.alb.listener", kind="flow")
    for key, target in alb.targets.items():
        tg = f"network.alb.targets.{key}"
        b.node(tg, f"Target group {key}", "feature", details=[spec.name_of(key), "Lambda target"])
        b.edge("network.alb.listener", tg, ", ".join(target.paths), kind="flow")
        if not b.has(f"functions.{key}"):
            b.node(
                f"functions.{key}",
                f"Lambda {key}",
                "lambda",
                group="functions",
                details=[spec.functions[key].handler],
            )
        b.edge(tg, f"functions.{key}", "invokes", kind="invokes")


def _method_details(spec: ArchSpec, method: MethodSpec) -> list[str]:
    auth = spec.api.authorizer_of(method)
    lines = [f"auth: {auth}" if auth else "auth: public"]
    if method.api_key_required:
        lines.append("API key required")
    validation = method.effective_validation()
    if method.request_model:
        lines.append(f"model {method.request_model} ({validation})")
    elif validation != "none":
        lines.append(f"validates {validation}")
    if method.mock is not None:
        lines.append(f"mock: answers {method.mock.status}, no function")
    if method.integration == "mapped":
        lines.append("mapped integration")
    elif method.integration == "vpc_link":
        lines.append("via VPC link → ALB")
    return lines


def _features(b: ViewBuilder, spec: ArchSpec) -> None:
    api = spec.api
    g = b.group("api#features", "API features", kind="features", ref=None)
    b.node(
        "api.models",
        "Request/response validation",
        "feature",
        group=g,
        details=[plural(len(api.models), "model") + (": " + ", ".join(api.models) if api.models else "")],
    )
    for key in api.api_keys:
        b.node(f"api.api_keys.{key}", f"API key {key}", "apikey", group=g)
    for key, plan in api.usage_plans.items():
        lines = []
        if plan.throttling:
            lines.append(f"{plan.throttling.rate:g} req/s, burst {plan.throttling.burst}")
        if plan.quota:
            lines.append(f"quota {plan.quota.limit:,}/{plan.quota.period.lower()}")
        b.node(f"api.usage_plans.{key}", f"Usage plan {key}", "usageplan", group=g, details=lines)
        for k in plan.api_keys:
            b.edge(f"api.usage_plans.{key}", f"api.api_keys.{k}", "includes", kind="flow")
    cors = api.cors
    b.node(
        "api.cors",
        "CORS" if cors.enabled else "CORS (off)",
        "feature",
        group=g,
        off=not cors.enabled,
        details=[", ".join(cors.allow_origins) or "*", f"max age {cors.max_age_seconds} s"]
        if cors.enabled
        else [],
    )
    mapped = [f"{verb} {path}" for path, verb, m in api.methods() if m.integration == "mapped"]
    b.node(
        "api#mapping",
        "Request/response mapping",
        "feature",
        group=g,
        ref=None,
        off=not mapped,
        details=mapped or ["all methods use Lambda proxy"],
    )
    b.node(
        "api.throttling",
        "Throttling",
        "feature",
        group=g,
        details=[f"{api.throttling.rate:,g} req/s, burst {api.throttling.burst:,}"],
    )
    log = api.logging
    b.node(
        "api.logging",
        "CloudWatch logging",
        "feature",
        group=g,
        details=[
            f"access logs {on_off(log.access_logs)} · {log.execution_level}",
            f"metrics {on_off(log.metrics)} · {log.retention_days} d",
        ],
    )
    b.node(
        "api.tracing",
        "X-Ray tracing" if api.tracing else "X-Ray tracing (off)",
        "feature",
        group=g,
        off=not api.tracing,
    )
    for key, authorizer in api.authorizers.items():
        b.node(
            f"api.authorizers.{key}",
            f"Custom authorizer {key}",
            "authorizer",
            group=g,
            details=[f"{authorizer.type} · {authorizer.scheme}", f"cache {authorizer.result_ttl_seconds} s"],
        )
        fn = authorizer.function
        if not b.has(f"functions.{fn}"):
            b.node(
                f"functions.{fn}",
                f"Lambda {fn}",
                "lambda",
                group="functions",
                details=[spec.functions[fn].handler],
            )
        b.edge(f"api.authorizers.{key}", f"functions.{fn}", "invokes", kind="invokes")
    allow_lists = api.ip_allow_lists()
    b.node(
        "api.ip_allow_list",
        "IP allow list" if allow_lists else "IP allow list (off)",
        "feature",
        group=g,
        details=allow_lists or ["any source IP"],
        off=not allow_lists,
    )
    link = api.vpc_link.enabled
    if not link and not spec.diagrams.show_disabled:
        return
    b.node(
        "api.vpc_link",
        "VPC link for private APIs" if link else f"VPC link {OFF_SUFFIX}",
        "vpclink",
        group=g,
        off=not link,
        details=["to the ALB"] if link else [],
    )
