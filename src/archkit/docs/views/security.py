"""The security page: the seed's four layers (edge, API, application, data) and the values behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, or_dash, table, text, yes_no
from archkit.docs.views.base import PageContext, ViewPage, rules_table, section
from archkit.spec.conventions import EDGE_WEB_ACL
from archkit.spec.naming import kms_alias, physical_name, secret_env_var
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.spec import ArchSpec

LAYERS: tuple[tuple[str, str], ...] = (
    ("edge", "1. Edge security (CloudFront + WAF)"),
    ("api", "2. API security (API Gateway)"),
    ("application", "3. Application security (Lambda)"),
    ("data", "4. Data security"),
)


def _edge(spec: ArchSpec) -> str:
    waf, cdn = spec.edge.waf, spec.edge.cdn
    rate = "off" if waf.rate_limit is None else f"{waf.rate_limit} requests per 5 minutes per IP"
    return key_values(
        [
            ("WAF web ACL", f"{yes_no(waf.enabled)} ({code(physical_name(spec, EDGE_WEB_ACL))})"),
            ("DDoS protection", f"Shield {spec.edge.shield}"),
            ("Rate limiting", rate),
            ("SQL injection protection", yes_no(waf.sql_injection)),
            ("XSS protection (common rule set)", yes_no(waf.xss)),
            ("Known bad inputs", yes_no(waf.known_bad_inputs)),
            ("IP reputation list", yes_no(waf.ip_reputation)),
            ("Bot detection (Bot Control)", yes_no(waf.bot_control)),
            ("Geo-blocking", codes(waf.geo_block, "none")),
            ("Blocked addresses", codes(waf.blocked_ips, "none")),
            ("Viewer TLS", f"{code(cdn.viewer_protocol)}, minimum {code(cdn.minimum_tls)}"),
        ]
    )


def _api(spec: ArchSpec) -> str:
    api = spec.api
    methods = api.methods()
    public = [f"{code(v)} {code(p)}" for p, v, m in methods if api.authorizer_of(m) is None]
    keyed = [f"{code(v)} {code(p)}" for p, v, m in methods if m.api_key_required]
    validated = [f"{code(v)} {code(p)}" for p, v, m in methods if m.effective_validation() in ("body", "all")]
    authorizers = [f"{code(k)} ({a.scheme}, {a.type})" for k, a in api.authorizers.items()]
    return key_values(
        [
            ("Custom authorizers (OAuth 2.0 / JWT)", ", ".join(authorizers) or "none"),
            ("Default authorizer", or_dash(api.default_authorizer)),
            ("Public methods", ", ".join(public) or "none"),
            ("API key validation", ", ".join(keyed) or "none"),
            ("Request validation (body)", ", ".join(validated) or "none"),
            ("Request throttling", f"{api.throttling.rate:g} requests/s, burst {api.throttling.burst}"),
            ("IP allow list", text("; ".join(api.ip_allow_lists())) or "any address"),
            (
                "Reached only through CloudFront",
                "no"
                if api.origin_verify is None
                else f"yes: header {code(api.origin_verify.header)} checked by the stage's web ACL",
            ),
        ]
    )


def _application(spec: ArchSpec) -> str:
    app = spec.security.application
    flags = key_values(
        [
            ("IAM roles with least privilege", yes_no(app.least_privilege_iam)),
            ("VPC security groups", yes_no(app.vpc_security_groups)),
            ("Input validation", yes_no(app.input_validation)),
            ("Environment isolation", yes_no(app.environment_isolation)),
            ("Dependency scanning", yes_no(app.dependency_scanning)),
            ("Secrets Manager", f"{count(len(spec.secrets), 'secret')}, passed to functions by ARN"),
        ]
    )
    secrets = table(
        ["Secret", "Name", "Description", "KMS key", "Rotation", "Read by"],
        [
            (
                code(k),
                code(physical_name(spec, k, "secrets")),
                text(s.description),
                code(kms_alias(spec, s.kms_key)) if s.kms_key else "aws/secretsmanager",
                f"every {s.rotation.days} days by {code(s.rotation.function)}" if s.rotation else "none",
                ", ".join(
                    f"{code(f)} ({code(secret_env_var(k))})"
                    for f, fn in spec.functions.items()
                    if k in fn.secrets
                )
                or "—",
            )
            for k, s in spec.secrets.items()
        ],
        empty="No secrets.",
    )
    roles = table(
        ["Role", "Name", "Assumed by", "Purpose"],
        [
            (code(k), code(physical_name(spec, k)), code(r.assumed_by), text(r.description))
            for k, r in spec.security.roles.items()
        ],
        empty="No extra roles; every function has its own execution role.",
    )
    return "\n".join([flags, section("Secrets", secrets, level=3), section("IAM roles", roles, level=3)])


def _data(spec: ArchSpec) -> str:
    data = spec.security.data
    flags = key_values(
        [
            ("Encryption at rest (baseline)", code(data.encryption_at_rest)),
            ("Encryption in transit", f"TLS {data.tls_minimum} or later"),
            ("Backup encryption", yes_no(data.backup_encryption)),
            ("Access logging", yes_no(data.access_logging)),
            ("Data masking in logs", codes(data.data_masking, "none")),
        ]
    )
    keys = table(
        ["KMS key", "Alias", "Protects", "Rotation", "Deletion window"],
        [
            (
                code(k),
                code(kms_alias(spec, k)),
                text(key.description),
                yes_no(key.rotation),
                f"{key.pending_window_days} days",
            )
            for k, key in spec.security.kms_keys.items()
        ],
        empty="No customer-managed KMS keys.",
    )
    stores = [
        (f"table {code(k)}", t.encryption + (f" ({code(t.kms_key)})" if t.kms_key else ""))
        for k, t in spec.tables.items()
    ]
    stores += [
        (
            f"bucket {code(k)}",
            b.encryption
            + (f" ({code(b.kms_key)})" if b.kms_key else "")
            + (", TLS only" if b.enforce_tls else ""),
        )
        for k, b in spec.buckets.items()
    ]
    at_rest = table(["Data store", "Encryption"], stores, empty="No data stores.")
    return join_blocks(
        *[flags, section("KMS key management", keys, level=3), section("Data stores", at_rest, level=3)]
    )


def _suppressions(spec: ArchSpec) -> str:
    return table(
        ["Rule", "Resource", "Reason", "Expires"],
        [
            (code(s.rule), code(s.resource), text(s.reason), or_dash(s.expires))
            for s in spec.compliance.suppressions
        ],
        empty="No compliance findings are suppressed.",
    )


def body(spec: ArchSpec, ctx: PageContext) -> str:
    contents = {
        "edge": _edge(spec),
        "api": _api(spec),
        "application": _application(spec),
        "data": _data(spec),
    }
    return join_blocks(
        *[
            section(title, contents[key], rules_table(ctx, (key,), "Rules enforcing this layer", level=3))
            for key, title in LAYERS
        ]
        + [section("Suppressed findings", _suppressions(spec))]
    )


PAGE = ViewPage(
    file="security.md",
    title="Security layers",
    diagram_views=("security",),
    intro="The four layers of defence of the seed architecture and the spec values that implement each.",
    body=body,
)
