"""The Lambda page: functions, layers, environment variables, secrets and grants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, table, text, yes_no
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.naming import physical_name, secret_env_var
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.spec import ArchSpec


def _functions(spec: ArchSpec) -> str:
    rows = []
    for key, fn in spec.functions.items():
        rows.append(
            (
                code(key),
                code(physical_name(spec, key, "functions")),
                code(fn.handler),
                code(fn.runtime),
                code(fn.architecture),
                f"{fn.memory} MB",
                f"{fn.timeout} s",
                "unreserved" if fn.reserved_concurrency is None else str(fn.reserved_concurrency),
                yes_no(fn.vpc),
                yes_no(fn.tracing),
            )
        )
    headers = [
        "Function",
        "Name",
        "Handler",
        "Runtime",
        "Arch",
        "Memory",
        "Timeout",
        "Reserved",
        "VPC",
        "X-Ray",
    ]
    return table(headers, rows)


def _descriptions(spec: ArchSpec) -> str:
    return table(
        ["Function", "Description", "Layers", "Security groups", "Log retention"],
        [
            (
                code(k),
                text(fn.description) or "—",
                codes(fn.layers),
                codes(fn.security_groups),
                count(fn.log_retention_days, "day"),
            )
            for k, fn in spec.functions.items()
        ],
    )


def _layers(spec: ArchSpec) -> str:
    rows = []
    for key, layer in spec.layers.items():
        users = [f for f, fn in spec.functions.items() if key in fn.layers]
        rows.append(
            (
                code(key),
                code(physical_name(spec, key)),
                text(layer.description),
                codes(layer.compatible_runtimes),
                codes(layer.compatible_architectures),
                codes(users),
            )
        )
    return table(["Layer", "Name", "Provides", "Runtimes", "Architectures", "Used by"], rows)


def _environment(spec: ArchSpec) -> str:
    rows = [
        (code(k), code(name), code(value))
        for k, fn in spec.functions.items()
        for name, value in sorted(fn.environment.items())
    ]
    return table(["Function", "Variable", "Value"], rows)


def _secrets(spec: ArchSpec) -> str:
    rows = [
        (code(k), code(s), code(secret_env_var(s))) for k, fn in spec.functions.items() for s in fn.secrets
    ]
    return table(["Function", "Secret", "Variable holding the secret's ARN"], rows)


def _grants(spec: ArchSpec) -> str:
    rows = []
    for key, fn in spec.functions.items():
        for target, grant in fn.grants.items():
            scope = (
                codes(grant.prefixes, "whole bucket")
                if target.startswith("buckets.")
                else ("table and indexes" if grant.indexes else "table only")
            )
            rows.append((code(key), code(target), code(grant.access), scope))
        if fn.database and spec.rds.enabled:
            # The database is reached over SQL (security group + credentials secret), not an IAM grant.
            rows.append((code(key), code("rds"), "SQL", f"{spec.rds.engine}, credentials from its secret"))
    return table(["Function", "Resource", "Access", "Scope"], rows)


def body(spec: ArchSpec, ctx: PageContext) -> str:
    return join_blocks(
        *[
            section("Functions", _functions(spec), _descriptions(spec)),
            section("Layers", _layers(spec)),
            section(
                "Environment variables",
                "Values as written in the spec; `${...}` placeholders are resolved at deploy time.",
                _environment(spec),
            ),
            section(
                "Secrets",
                "A function receives a secret's ARN in an environment variable, never the value itself.",
                _secrets(spec),
            ),
            section("Data stores each function reaches (least privilege)", _grants(spec)),
        ]
    )


PAGE = ViewPage(
    file="lambda.md",
    title="Lambda functions",
    diagram_views=("lambda",),
    intro="Each function with its handler, runtime, sizing and placement, the layers it loads, its "
    "configuration and secrets, and the only data it may touch.",
    body=body,
)
