"""Wiring the optional elements imply: which functions reach the database, which security group rules the
load balancer, VPC link, bastion and database need beyond the declared ones, and where the load balancer
routes a request path.

CDK creates exactly these, and verify's desired states expect exactly these, so both read them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from archkit.spec.naming import database_secret_key
from archkit.spec.network import SecurityGroupRuleSpec

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

DB_HOST_VAR, DB_PORT_VAR, DB_NAME_VAR = "DB_HOST", "DB_PORT", "DB_NAME"
"""Environment variables of a function with ``database: true`` (plus the credentials secret's ARN)."""

ENGINE_LABELS = {"postgres": "PostgreSQL", "mysql": "MySQL"}
HTTPS_PORT = 443
SSH_PORT = 22

Direction = Literal["ingress", "egress"]


@dataclass(frozen=True)
class DerivedRule:
    """A security group rule an optional element needs, added to group ``group`` (a spec key)."""

    group: str
    direction: Direction
    rule: SecurityGroupRuleSpec


def database_functions(spec: ArchSpec) -> list[str]:
    """Functions connecting to the database (``database: true``), when the database is enabled."""
    if not spec.rds.enabled:
        return []
    return [key for key, fn in spec.functions.items() if fn.database]


def function_secret_keys(spec: ArchSpec, function_key: str) -> list[str]:
    """Secrets a function may read: its ``secrets`` plus the database credentials when it uses the database.

    The generated credentials secret (no ``rds.credentials_secret``) appears as ``db_credentials``.
    """
    keys = list(spec.functions[function_key].secrets)
    if function_key in database_functions(spec) and database_secret_key(spec) not in keys:
        keys.append(database_secret_key(spec))
    return keys


def vpc_link_security_group(spec: ArchSpec) -> str | None:
    """Group of the VPC link's interfaces: ``api.vpc_link.security_group``, else the load balancer's."""
    return spec.api.vpc_link.security_group or spec.network.alb.security_group


def _rule(
    port: int, description: str, *, security_group: str | None = None, cidr: str | None = None
) -> SecurityGroupRuleSpec:
    return SecurityGroupRuleSpec(
        protocol="tcp", port=port, security_group=security_group, cidr=cidr, description=description
    )


def _same(a: SecurityGroupRuleSpec, b: SecurityGroupRuleSpec) -> bool:
    """Same traffic (description aside): a declared rule makes the derived one redundant."""
    last_a = a.to_port if a.to_port is not None else a.port
    last_b = b.to_port if b.to_port is not None else b.port
    return (a.protocol, a.port, last_a, a.cidr, a.security_group, a.prefix_list) == (
        b.protocol,
        b.port,
        last_b,
        b.cidr,
        b.security_group,
        b.prefix_list,
    )


def derived_security_group_rules(spec: ArchSpec) -> list[DerivedRule]:
    """Rules the enabled optional elements need that the spec does not declare itself, in a fixed order.

    - database: ingress on the database port from the group of every ``database: true`` function (and the
      bastion's with ``network.bastion.database_access``); the matching egress on those groups.
    - VPC link: the load balancer's group admits the link's group on the listener port; the link's group
      may send there.
    - bastion: egress HTTPS anywhere (SSM Session Manager), SSH from each of ``allowed_cidrs``, and the
      ``endpoints`` group (interface endpoints with private DNS answer the SSM names in the VPC) admits it.

    Groups that are not declared (a key of ``network.security_groups``) get no rules.
    """
    net, groups = spec.network, spec.network.security_groups
    out: list[DerivedRule] = []

    def add(group: str | None, direction: Direction, rule: SecurityGroupRuleSpec) -> None:
        if group is None or group not in groups:
            return
        declared = getattr(groups[group], direction)
        if any(_same(rule, d) for d in declared) or any(
            d.group == group and d.direction == direction and _same(rule, d.rule) for d in out
        ):
            return
        out.append(DerivedRule(group, direction, rule))

    rds = spec.rds
    if rds.enabled and rds.security_group in groups:
        port, engine = rds.effective_port(), ENGINE_LABELS[rds.engine]
        clients: list[tuple[str, str]] = []
        for key in database_functions(spec):
            fn = spec.functions[key]
            if fn.vpc:
                clients += [(sg, f"function {key}") for sg in fn.security_groups]
        if net.bastion.enabled and net.bastion.database_access and net.bastion.security_group:
            clients.append((net.bastion.security_group, "the bastion host"))
        for sg, who in clients:
            add(rds.security_group, "ingress", _rule(port, f"{engine} from {who}", security_group=sg))
            add(sg, "egress", _rule(port, f"{engine} to the database", security_group=rds.security_group))

    link, alb = spec.api.vpc_link, net.alb
    link_sg = vpc_link_security_group(spec)
    if link.enabled and alb.enabled and link_sg and alb.security_group:
        port = alb.listener.port
        add(alb.security_group, "ingress", _rule(port, "API Gateway VPC link", security_group=link_sg))
        add(link_sg, "egress", _rule(port, "To the load balancer", security_group=alb.security_group))

    bastion = net.bastion
    if bastion.enabled and bastion.security_group:
        add(bastion.security_group, "egress", _rule(HTTPS_PORT, "SSM Session Manager", cidr="0.0.0.0/0"))
        for cidr in bastion.allowed_cidrs:
            add(bastion.security_group, "ingress", _rule(SSH_PORT, "SSH from an allowed network", cidr=cidr))
        if any(ep.type == "interface" and ep.private_dns for ep in net.endpoints):
            add(
                "endpoints",
                "ingress",
                _rule(HTTPS_PORT, "HTTPS from the bastion host", security_group=bastion.security_group),
            )
    return out


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    # ALB path patterns: `*` any run of characters (slashes too), `?` exactly one, case-sensitive.
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))


def alb_route(spec: ArchSpec, path: str) -> str | None:
    """The function the load balancer forwards ``path`` to (first matching target in priority order)."""
    for key, target in spec.network.alb.targets.items():
        if any(_pattern_regex(p).fullmatch(path) for p in target.paths):
            return key
    return None


def api_path_sample(resource_path: str) -> str:
    """A concrete request path for an API resource path: ``/api/users/{id}`` → ``/api/users/id``."""
    return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\+?\}", r"\1", resource_path)


def api_origin_path(spec: ArchSpec) -> str:
    """CloudFront's origin path to the API: the stage on the execute-api host, or the first base path
    mapped on the API's custom domain (empty for the root)."""
    if spec.api.domain is not None:
        base = spec.api.domain.base_paths[0]
        return f"/{base}" if base else ""
    return f"/{spec.api.stage}"


API_TARGET = "api"
"""Origin target of the REST API (its spec path)."""


def cdn_origins(spec: ArchSpec) -> dict[str, str]:
    """The distribution's origins: target (`buckets.<key>`, `api`, `origins.<key>`) -> origin path, in the
    order CloudFront gets them (the static bucket, the API, then those the behaviours name)."""
    cdn = spec.edge.cdn
    out: dict[str, str] = {}
    if cdn.static_bucket is not None:
        prefix = cdn.static_prefix.strip("/")
        out[f"buckets.{cdn.static_bucket}"] = f"/{prefix}" if prefix else ""
    if spec.api.routes:
        out[API_TARGET] = api_origin_path(spec)
    for target in [cdn.default_origin, *(b.origin for b in cdn.behaviors)]:
        if target is None or target in out:
            continue
        if target.startswith("origins."):
            out[target] = cdn.origins[target.split(".", 1)[1]].origin_path
        else:
            out[target] = ""
    return out


def cdn_default_origin(spec: ArchSpec) -> str:
    """Target of the default behaviour: `default_origin`, else the static bucket."""
    cdn = spec.edge.cdn
    if cdn.default_origin is not None:
        return cdn.default_origin
    assert cdn.static_bucket is not None, "validation requires default_origin without a static bucket"
    return f"buckets.{cdn.static_bucket}"


def cdn_behaviors(spec: ArchSpec) -> dict[str, str]:
    """Path pattern -> origin target of every cache behaviour: the API's, then the spec's in order."""
    out = {spec.edge.cdn.api_path_pattern: API_TARGET} if spec.api.routes else {}
    for behavior in spec.edge.cdn.behaviors:
        out.setdefault(behavior.path_pattern, behavior.origin)
    return out
