"""The one naming function: physical names and tag sets for every resource of a spec.

CDK, diagrams, docs and verify all call these, so a resource is found in the account by
the same name and tags that created it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.spec.edge import WAF_LOG_GROUP_PREFIX

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
    "queue": 80,
    "topic": 256,
    "event_rule": 64,
    "default": 128,
}


def base_name(spec: ArchSpec) -> str:
    """``{project}-{environment}``: the prefix of every physical name."""
    return f"{spec.project}-{spec.environment}"


def physical_name(spec: ArchSpec, key: str) -> str:
    """``{project}-{environment}-{key}``, underscores as hyphens (valid for buckets, tables, functions...)."""
    return f"{base_name(spec)}-{key.replace('_', '-')}".lower()


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
    """Name of a function's execution role: ``{project}-{environment}-{function}-role``."""
    return f"{physical_name(spec, function_key)}-role"


def api_model_name(model_key: str) -> str:
    """API Gateway name of a spec model (names are alphanumeric): ``refresh_token`` → ``RefreshToken``."""
    return "".join(part.capitalize() for part in model_key.split("_"))


def alb_host_name(spec: ArchSpec) -> str:
    """DNS name of the load balancer's HTTPS listener: ``<certificate_name>.<edge.dns.domain_name>``."""
    return f"{spec.network.alb.listener.certificate_name}.{spec.edge.dns.domain_name}"


def target_group_name(spec: ArchSpec, function_key: str) -> str:
    """Name of the load balancer's target group of a Lambda target: the function's name (≤ 32 characters)."""
    return physical_name(spec, function_key)


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
