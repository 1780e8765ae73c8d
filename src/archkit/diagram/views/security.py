"""``security``: the seed's four security layers, each measure tied to the resources that carry it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.diagram.model import SAME_AS_ID, View, ViewBuilder
from archkit.diagram.views.common import plural
from archkit.spec.conventions import (
    API_WEB_ACL,
    BUCKET_ENCRYPTION_LABELS,
    EDGE_WEB_ACL,
    WAF_LOGGING_PATH,
    logged_web_acls,
    waf_logging,
    waf_logs_key_path,
)
from archkit.spec.naming import waf_logs_key_alias
from archkit.spec.waf import API_WAF_PATH, EDGE_WAF_PATH

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec


LAYERS = {
    "edge": "1. Edge security (CloudFront + WAF)",
    "api": "2. API security (API Gateway)",
    "application": "3. Application security (Lambda)",
    "data": "4. Data security",
}
"""The seed's four layers: one diagram each (``security-edge`` ...), in the seed's order."""


class _Layer:
    """One security layer drawn as its own diagram: measures (a grid) above the resources they apply to."""

    def __init__(self, key: str) -> None:
        self.b = ViewBuilder(
            f"security-{key}",
            f"Security Architecture · {LAYERS[key]}",
            "LR",
            caption=f"{LAYERS[key]}: each measure the spec enforces, linked to the resources that carry it.",
        )
        self.gid = "layer"
        self.measures = self.b.group("layer#measures", "Enforces", kind="measures", ref=None)
        self.resources = self.b.group("layer#resources", "Resources", kind="resources", ref=None)

    def measure(
        self,
        nid: str,
        label: str,
        details: list[str],
        targets: list[str],
        on: bool = True,
        ref: str | None = SAME_AS_ID,
    ) -> None:
        self.b.node(
            nid,
            label if on else f"{label} (off)",
            "feature",
            group=self.measures,
            details=details,
            off=not on,
            ref=ref,
        )
        for target in targets:
            if self.b.has(target):
                self.b.edge(nid, target, kind="applies")

    def resource(
        self, nid: str, label: str, kind: str, details: list[str] | None = None, ref: str | None = SAME_AS_ID
    ) -> str:
        if not self.b.has(nid):
            self.b.node(nid, label, kind, group=self.resources, details=details or [], ref=ref)
        return nid

    def build(self) -> View:
        """Measures in one column, resources in the next, each ordered so that the edges barely cross."""
        measures = self.b.members(self.measures)
        targets = [e.target for m in measures for e in self.b.edges_from(m)]
        resources = list(dict.fromkeys([*targets, *self.b.members(self.resources)]))
        self.b.row(*measures)
        self.b.row(*resources)
        return self.b.build()


def build(spec: ArchSpec) -> list[View]:
    """One diagram per security layer, in the seed's order (a layer with nothing to show is left out)."""
    layers = [_edge_layer(spec), _api_layer(spec), _application_layer(spec), _data_layer(spec)]
    return [layer.build() for layer in layers if layer is not None]


def _edge_layer(spec: ArchSpec) -> _Layer:
    """CloudFront's web ACL (``edge.waf``); without it, the API stage's (``api.waf``), whose rules guard the
    same edge of an API-only system."""
    edge = spec.edge
    regional = not edge.waf.enabled and spec.api.waf.enabled and bool(spec.api.routes)
    path, key, waf = (
        (API_WAF_PATH, API_WEB_ACL, spec.api.waf) if regional else (EDGE_WAF_PATH, EDGE_WEB_ACL, edge.waf)
    )
    layer = _Layer("edge")
    cdn = (
        [layer.resource("edge.cdn", "CloudFront", "cloudfront", [spec.name_of("cdn")])]
        if edge.cdn.enabled
        else []
    )
    title = "WAF web ACL (API stage)" if regional else "WAF web ACL"
    acl = [layer.resource(path, title, "waf", [spec.name_of(key)])] if waf.enabled else []
    layer.measure("edge.shield", "DDoS protection", [f"Shield {edge.shield}"], cdn)
    if edge.cdn.enabled:
        layer.measure(
            "edge.cdn.viewer_protocol", "HTTPS only", [edge.cdn.viewer_protocol, edge.cdn.minimum_tls], cdn
        )
    on = waf.enabled
    if waf.rules:
        layer.measure(
            f"{path}.rules",
            "Custom rules",
            [f"{r.name}: {r.action} {r.statement().replace('_', ' ')}" for r in waf.rules],
            acl,
            on,
        )
    layer.measure(
        f"{path}.rate_limit",
        "Rate limiting",
        [f"{waf.rate_limit} requests / 5 min per IP"] if waf.rate_limit else [],
        acl,
        on and bool(waf.rate_limit),
    )
    layer.measure(
        f"{path}.geo_block",
        "Geo-blocking",
        [", ".join(waf.geo_block)] if waf.geo_block else [],
        acl,
        on and bool(waf.geo_block),
    )
    layer.measure(
        f"{path}.sql_injection",
        "SQL injection protection",
        ["AWS managed SQL rules"],
        acl,
        on and waf.sql_injection,
    )
    layer.measure(f"{path}.xss", "XSS protection", ["AWS managed common rule set"], acl, on and waf.xss)
    layer.measure(f"{path}.known_bad_inputs", "Known bad inputs", [], acl, on and waf.known_bad_inputs)
    layer.measure(f"{path}.ip_reputation", "IP reputation list", [], acl, on and waf.ip_reputation)
    layer.measure(
        f"{path}.bot_control", "Bot detection", ["AWS managed Bot Control"], acl, on and waf.bot_control
    )
    if waf.blocked_ips:
        layer.measure(f"{path}.blocked_ips", "Blocked IPs", [plural(len(waf.blocked_ips), "CIDR")], acl, on)
    # Each logged web ACL writes to its own group under its own key (the API's ACL is part of `api`).
    keys = [
        layer.resource(waf_logs_key_path(k), "KMS key · WAF logs", "kms", [waf_logs_key_alias(spec, k)])
        for k in logged_web_acls(spec)
    ]
    logging = waf_logging(spec, key)
    layer.measure(
        f"{path}.logging" if regional else WAF_LOGGING_PATH,
        "Request logging",
        [f"{logging.retention_days} days, encrypted"] if logging.enabled else [],
        [*acl, *keys],
        on and logging.enabled,
    )
    return layer


def _api_layer(spec: ArchSpec) -> _Layer | None:
    api = spec.api
    if not api.routes:
        return None
    layer = _Layer("api")
    rest = [layer.resource("api", "REST API", "apigw", [spec.name_of("api")])]
    keyed = [f"{v} {p}" for p, v, m in api.methods() if m.api_key_required]
    keys = [layer.resource(f"api.api_keys.{k}", f"API key {k}", "apikey") for k in api.api_keys]
    layer.measure(
        "api.api_keys", "API key validation", keyed or ["no method requires a key"], keys or rest, bool(keyed)
    )
    authorizers = [
        layer.resource(f"api.authorizers.{k}", f"Authorizer {k}", "authorizer", [f"{a.type} · {a.scheme}"])
        for k, a in api.authorizers.items()
    ]
    schemes = sorted({a.scheme for a in api.authorizers.values()})
    oauth = [s for s in schemes if s in ("jwt", "oauth2")]
    layer.measure(
        "api.authorizers", "OAuth 2.0 / JWT", [", ".join(oauth)] if oauth else [], authorizers, bool(oauth)
    )
    public = [f"{v} {p}" for p, v, m in api.methods() if api.authorizer_of(m) is None]
    layer.measure(
        "api.default_authorizer",
        "Custom authorizers",
        [f"default: {api.default_authorizer or 'none'}", plural(len(public), "public method")],
        authorizers,
        bool(authorizers),
    )
    layer.measure(
        "api.throttling",
        "Request throttling",
        [f"{api.throttling.rate:,g} req/s, burst {api.throttling.burst:,}"],
        rest,
    )
    layer.measure(
        "api.ip_allow_list",
        "IP allow list",
        api.ip_allow_lists() or ["any source IP"],
        rest,
        bool(api.ip_allow_lists()),
    )
    validated = [f"{v} {p}" for p, v, m in api.methods() if m.effective_validation() != "none"]
    layer.measure(
        "api.models",
        "Request validation",
        [plural(len(validated), "method"), plural(len(api.models), "model")],
        rest,
        bool(validated),
    )
    return layer


def _application_layer(spec: ArchSpec) -> _Layer:
    app = spec.security.application
    layer = _Layer("application")
    fns = (
        [layer.resource("functions", "Lambda functions", "lambda", [plural(len(spec.functions), "function")])]
        if spec.functions
        else []
    )
    roles = [
        layer.resource(f"security.roles.{k}", f"IAM role {k}", "role", [r.assumed_by])
        for k, r in spec.security.roles.items()
        if not _backup_role(r.assumed_by)
    ]
    groups = [
        layer.resource(
            f"network.security_groups.{k}",
            f"Security group {k}",
            "securitygroup",
            [f"{len(g.ingress)} in · {len(g.egress)} out"],
        )
        for k, g in spec.network.security_groups.items()
    ]
    secrets = [
        layer.resource(
            f"secrets.{k}",
            f"Secret {k}",
            "secret",
            [f"rotated every {s.rotation.days} d" if s.rotation else "not rotated"],
        )
        for k, s in spec.secrets.items()
    ]
    layer.measure(
        "security.application.least_privilege_iam",
        "IAM roles (least privilege)",
        ["grants from the spec only"],
        fns + roles,
        app.least_privilege_iam,
    )
    layer.measure(
        "secrets",
        "Secrets Manager",
        [plural(len(spec.secrets), "secret"), "ARNs in env, never values"],
        secrets,
        bool(spec.secrets),
        ref=None,
    )
    layer.measure(
        "security.application.vpc_security_groups",
        "VPC security groups",
        [plural(len(groups), "group")],
        groups,
        app.vpc_security_groups,
    )
    layer.measure(
        "security.application.input_validation",
        "Input validation",
        ["API request models"],
        ["api"] if spec.api.routes else [],
        app.input_validation,
    )
    layer.measure(
        "security.application.environment_isolation",
        "Environment isolation",
        [f"names and tags carry '{spec.environment}'"],
        fns,
        app.environment_isolation,
    )
    layer.measure(
        "security.application.dependency_scanning",
        "Dependency scanning",
        ["in CI"],
        fns,
        app.dependency_scanning,
    )
    return layer


def _data_layer(spec: ArchSpec) -> _Layer:
    data = spec.security.data
    layer = _Layer("data")
    keys = [
        layer.resource(
            f"security.kms_keys.{k}", f"KMS key {k}", "kms", [f"rotation {'on' if key.rotation else 'off'}"]
        )
        for k, key in spec.security.kms_keys.items()
    ]
    tables = [
        layer.resource(f"tables.{k}", f"Table {k}", "dynamodb", [t.encryption.replace("_", " ")])
        for k, t in spec.tables.items()
    ]
    buckets = [
        layer.resource(f"buckets.{k}", f"Bucket {k}", "s3", [BUCKET_ENCRYPTION_LABELS[bk.encryption]])
        for k, bk in spec.buckets.items()
    ]
    rds = [layer.resource("rds", "RDS database", "rds", [spec.rds.engine])] if spec.rds.enabled else []
    flow = (
        [
            layer.resource(
                "network.flow_logs",
                "VPC flow logs",
                "flowlogs",
                [f"{spec.network.flow_logs.traffic_type} → {spec.network.flow_logs.destination}"],
            )
        ]
        if spec.network.flow_logs.enabled
        else []
    )
    layer.measure(
        "security.data.encryption_at_rest",
        "Encryption at rest",
        [data.encryption_at_rest],
        tables + buckets + rds,
    )
    tls = [f"buckets.{k}" for k, bk in spec.buckets.items() if bk.enforce_tls]
    layer.measure("security.data.tls_minimum", "Encryption in transit", [f"TLS ≥ {data.tls_minimum}"], tls)
    layer.measure(
        "security.kms_keys", "KMS key management", [plural(len(keys), "customer key")], keys, bool(keys)
    )
    layer.measure(
        "security.data.data_masking",
        "Data masking",
        [", ".join(data.data_masking)] if data.data_masking else [],
        [],
        bool(data.data_masking),
    )
    backed = [f"tables.{k}" for k, t in spec.tables.items() if t.point_in_time_recovery]
    # Buckets a backup role (AWS Backup's service principal) writes to hold backups.
    backup_roles = {f"roles.{k}" for k, r in spec.security.roles.items() if _backup_role(r.assumed_by)}
    backed += [
        f"buckets.{k}"
        for k, bk in spec.buckets.items()
        if any(p.principal in backup_roles for p in bk.policies)
    ]
    backed += rds
    # A role AWS Backup assumes belongs with the backups it writes, not with the application.
    backed += [
        layer.resource(f"security.roles.{k}", f"IAM role {k}", "role", [r.assumed_by])
        for k, r in spec.security.roles.items()
        if _backup_role(r.assumed_by)
    ]
    layer.measure(
        "security.data.backup_encryption",
        "Backup encryption",
        ["PITR and backups/ encrypted"],
        backed,
        data.backup_encryption,
    )
    logged = [f"buckets.{k}" for k, bk in spec.buckets.items() if bk.access_logs_bucket] + flow
    layer.measure(
        "security.data.access_logging",
        "Access logging",
        ["S3, CloudFront, API, VPC flow logs"],
        logged,
        data.access_logging,
    )
    return layer


def _backup_role(principal: str) -> bool:
    """A role assumed by AWS Backup (``backup.amazonaws.com``)."""
    return principal.startswith("backup.")
