"""The API Gateway page: the route table, authorizers, request models, keys and plans, and stage settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, or_dash, table, text, yes_no
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.naming import physical_name
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.spec import ArchSpec
    from archkit.spec.api import MethodSpec


def _mock_status(method: MethodSpec) -> int:
    assert method.mock is not None, "a method without a function is a mock one (spec validation)"
    return method.mock.status


def _routes(spec: ArchSpec) -> str:
    rows = []
    for path, verb, method in spec.api.methods():
        authorizer = spec.api.authorizer_of(method)
        rows.append(
            (
                code(path),
                code(verb),
                code(method.function) if method.function else f"none (answers {_mock_status(method)})",
                code(authorizer) if authorizer else "none (public)",
                yes_no(method.api_key_required),
                code(method.effective_validation()),
                or_dash(method.request_model),
                method.integration,
            )
        )
    headers = [
        "Path",
        "Method",
        "Function",
        "Authorizer",
        "API key",
        "Validation",
        "Body model",
        "Integration",
    ]
    return table(headers, rows, empty="The spec declares no routes.")


def _parameters(spec: ArchSpec) -> str:
    rows = [
        (code(path), code(verb), code(param), "required" if required else "optional")
        for path, verb, method in spec.api.methods()
        for param, required in sorted(method.request_parameters.items())
    ]
    return table(["Path", "Method", "Parameter", "Required"], rows, empty="No declared request parameters.")


def _mappings(spec: ArchSpec) -> str:
    blocks = []
    for path, verb, method in spec.api.methods():
        if method.mock is not None:
            blocks.append(
                f"Mock answer of {code(verb)} {code(path)} (no function): status {method.mock.status}, "
                f"{code(method.mock.content_type)}:\n\n```text\n{method.mock.body_text()}\n```\n"
            )
        if method.integration != "mapped":
            continue
        for kind, templates in (
            ("Request", method.request_templates),
            ("Response", method.response_templates),
        ):
            for content_type, template in sorted(templates.items()):
                blocks.append(
                    f"{kind} template of {code(verb)} {code(path)} for {code(content_type)}:\n\n"
                    f"```text\n{template}\n```\n"
                )
    return (
        "\n".join(blocks)
        if blocks
        else "No mapped integrations: every method uses Lambda proxy integration.\n"
    )


def _authorizers(spec: ArchSpec) -> str:
    return table(
        ["Authorizer", "Type", "Scheme", "Function", "Identity source", "Cache TTL"],
        [
            (
                code(k),
                a.type,
                a.scheme,
                code(a.function),
                code(a.identity_source),
                f"{a.result_ttl_seconds} s",
            )
            for k, a in spec.api.authorizers.items()
        ],
        empty="No custom authorizers.",
    )


def _models(spec: ArchSpec) -> str:
    rows = []
    for name, schema in spec.api.models.items():
        properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
        required = schema.get("required", []) if isinstance(schema, dict) else []
        users = [f"{code(v)} {code(p)}" for p, v, m in spec.api.methods() if m.request_model == name]
        rows.append((code(name), codes(properties), codes(required), ", ".join(users) or "—"))
    return table(["Model", "Properties", "Required", "Validates"], rows, empty="No request models.")


def _keys_and_plans(spec: ArchSpec) -> str:
    api = spec.api
    keys = table(
        ["API key", "Name"],
        [(code(k), code(physical_name(spec, k))) for k in api.api_keys],
        empty="No API keys.",
    )
    plans = table(
        ["Usage plan", "Description", "Throttling", "Quota", "Keys"],
        [
            (
                code(k),
                text(p.description) or "—",
                f"{p.throttling.rate:g} req/s, burst {p.throttling.burst}"
                if p.throttling
                else "stage limits",
                f"{p.quota.limit} per {p.quota.period.lower()}" if p.quota else "none",
                codes(p.api_keys),
            )
            for k, p in api.usage_plans.items()
        ],
        empty="No usage plans.",
    )
    return keys + "\n" + plans


def _stage(spec: ArchSpec) -> str:
    api = spec.api
    cors = api.cors
    log = api.logging
    return key_values(
        [
            ("Name", code(physical_name(spec, "api"))),
            ("Description", text(api.description) or "—"),
            ("Stage", code(api.stage)),
            ("Endpoint type", code(api.endpoint_type)),
            ("Default authorizer", or_dash(api.default_authorizer)),
            ("Throttling", f"{api.throttling.rate:g} requests/s, burst {api.throttling.burst}"),
            (
                "CORS",
                f"origins {codes(cors.allow_origins, 'none')}, methods {codes(cors.allow_methods)}, "
                f"headers {codes(cors.allow_headers)}, max age {cors.max_age_seconds} s"
                if cors.enabled
                else "off",
            ),
            ("Access logs", f"{yes_no(log.access_logs)}, kept {count(log.retention_days, 'day')}"),
            ("Execution logging", f"{code(log.execution_level)}, data trace {yes_no(log.data_trace)}"),
            ("Detailed metrics", yes_no(log.metrics)),
            ("X-Ray tracing", yes_no(api.tracing)),
            (
                "Compression above",
                "off" if api.minimum_compression_size is None else f"{api.minimum_compression_size} bytes",
            ),
            ("IP allow list", text("; ".join(api.ip_allow_lists())) or "any address"),
            (
                "Reached only through CloudFront",
                "no"
                if api.origin_verify is None
                else f"yes: header {code(api.origin_verify.header)} checked by the stage's web ACL",
            ),
            ("VPC link", yes_no(api.vpc_link.enabled)),
        ]
    )


def body(spec: ArchSpec, ctx: PageContext) -> str:
    return join_blocks(
        *[
            section("Routes", _routes(spec), section("Request parameters", _parameters(spec), level=3)),
            section("Authorizers", _authorizers(spec)),
            section("Request models", _models(spec)),
            section("Mapping templates", _mappings(spec)),
            section("API keys and usage plans", _keys_and_plans(spec)),
            section("Stage settings", _stage(spec)),
        ]
    )


PAGE = ViewPage(
    file="api.md",
    title="API Gateway",
    diagram_views=("api",),
    intro="The REST API: every route with its method, function and authorizer, and the features around them.",
    body=body,
)
