"""The one naming function: physical names and tag sets for every resource of a spec.

CDK, diagrams, docs and verify all call these, so a resource is found in the account by
the same name and tags that created it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.spec.edge import WAF_LOG_GROUP_PREFIX
from archkit.spec.name_patterns import ACCOUNT, NAME_KINDS, NameKind

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

ID_TAG = "archkit:id"
"""Tag carrying the spec path (e.g. `tables.main`) of the resource."""

# Per-kind limits AWS imposes on physical names.
MAX_NAME_LENGTH: dict[str, int] = {
    "bucket": 63,
    "function": 64,
    "table": 255,
    "role": 64,
    "secret": 512,
    "kms_alias": 256,
    "api": 1024,
    "default": 128,
}


def base_name(spec: ArchSpec) -> str:
    """``{project}-{environment}``: the prefix of every stack name."""
    return f"{spec.project}-{spec.environment}"


def name_account(spec: ArchSpec) -> str:
    """What ``{account}`` becomes in a name: the spec's account, else an account bound for deploy (CDK's
    account token) or verify (the caller's account), else the placeholder itself, unresolved."""
    return spec.account or spec.bound_account() or ACCOUNT


def physical_name(spec: ArchSpec, key: str, kind: NameKind | None = None) -> str:
    """The physical name of resource ``key``: its explicit ``physical_name`` (resources of ``kind``, the spec
    section such as ``buckets``), else ``naming.patterns[kind]``, else ``naming.pattern``, by default
    ``{project}-{environment}-{key}`` with the key's underscores as hyphens."""
    explicit = _explicit_name(spec, key, kind)
    pattern = explicit or (spec.naming.patterns.get(kind) if kind else None) or spec.naming.pattern
    return pattern.format(
        project=spec.project,
        environment=spec.environment,
        key=key.replace("_", "-").lower(),
        account=name_account(spec),
        region=spec.region,
    )


def names_use_account(spec: ArchSpec) -> bool:
    """True when some name holds ``{account}`` (a pattern or an explicit name), so it needs an account id."""
    explicit = (r.physical_name for kind in NAME_KINDS for r in getattr(spec, kind).values())
    texts = [spec.naming.pattern, *spec.naming.patterns.values(), *(e for e in explicit if e)]
    return any(ACCOUNT in text for text in texts)


def _explicit_name(spec: ArchSpec, key: str, kind: NameKind | None) -> str | None:
    if kind not in NAME_KINDS:
        return None
    resource = getattr(spec, kind).get(key)
    return None if resource is None else resource.physical_name


def name_source(spec: ArchSpec, key: str, kind: NameKind | None) -> tuple[str | int, ...]:
    """Where the name of ``key`` comes from in the spec (for errors): its ``physical_name``, the type's
    pattern or the global pattern."""
    if _explicit_name(spec, key, kind) is not None:
        assert kind is not None
        return (kind, key, "physical_name")
    if kind is not None and kind in spec.naming.patterns:
        return ("naming", "patterns", kind)
    return ("naming", "pattern")


def kms_alias(spec: ArchSpec, key: str) -> str:
    return f"alias/{physical_name(spec, key)}"


def secret_env_var(secret_key: str) -> str:
    """Environment variable through which a function receives a secret's ARN (never its value)."""
    return f"{secret_key.upper()}_SECRET_ARN"


def cost_tags(spec: ArchSpec) -> dict[str, str]:
    """The cost-allocation tags every taggable resource carries: Project, Environment, Owner plus extras."""
    tags = {"Project": spec.project, "Environment": spec.environment, "Owner": spec.owner}
    tags.update(spec.tags)
    return tags


def resource_tags(spec: ArchSpec, spec_path: str) -> dict[str, str]:
    """Cost tags plus the ``archkit:id`` tag naming the resource's spec path."""
    return {**cost_tags(spec), ID_TAG: spec_path}


def function_role_name(spec: ArchSpec, function_key: str) -> str:
    """Name of a function's execution role: the function's name and ``-role``."""
    return f"{physical_name(spec, function_key, 'functions')}-role"


def api_model_name(model_key: str) -> str:
    """API Gateway name of a spec model (names are alphanumeric): ``refresh_token`` → ``RefreshToken``."""
    return "".join(part.capitalize() for part in model_key.split("_"))


def alb_host_name(spec: ArchSpec) -> str:
    """DNS name of the load balancer's HTTPS listener: ``<certificate_name>.<edge.dns.domain_name>``."""
    return f"{spec.network.alb.listener.certificate_name}.{spec.edge.dns.domain_name}"


def target_group_name(spec: ArchSpec, function_key: str) -> str:
    """Name of the load balancer's target group of a Lambda target: the function's name (≤ 32 characters)."""
    return physical_name(spec, function_key, "functions")


def alb_listener_id(spec: ArchSpec) -> str:
    """How the inventory names the listener (listeners have no name): ``<load balancer name>:<port>``."""
    return f"{physical_name(spec, 'alb')}:{spec.network.alb.listener.port}"


def database_secret_key(spec: ArchSpec) -> str:
    """Key of the database credentials secret: ``rds.credentials_secret``, else the generated
    ``db_credentials`` (named ``{project}-{environment}-db-credentials``)."""
    return spec.rds.credentials_secret or "db_credentials"


def waf_log_group_name(spec: ArchSpec, acl_key: str) -> str:
    """A web ACL's log group: WAF accepts only names starting with ``aws-waf-logs-``."""
    return f"{WAF_LOG_GROUP_PREFIX}{physical_name(spec, acl_key)}"


def waf_logs_key_alias(spec: ArchSpec, acl_key: str) -> str:
    """Alias of the KMS key encrypting a web ACL's log group (named after the group)."""
    return f"alias/{waf_log_group_name(spec, acl_key)}"
