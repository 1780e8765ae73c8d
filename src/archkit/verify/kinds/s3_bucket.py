"""S3 buckets by name: public access block, encryption, versioning, lifecycle, policy, logging,
Intelligent-Tiering, object ownership and tags (one call each; the APIs offer no batch read).
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from archkit.spec import ArchSpec
from archkit.spec.conventions import (
    S3_READ_ACTION_PREFIXES,
    S3_WRITE_ACTION_PREFIXES,
)
from archkit.spec.data import BucketSpec
from archkit.spec.events import S3_EVENTS
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    function_role_name,
)
from archkit.verify.kinds.base import (
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    is_not_found,
)
from archkit.verify.state import ResourceState, StateModel

# --- state -----------------------------------------------------------------------------------------------


class PublicAccessBlockState(StateModel):
    block_public_acls: bool
    ignore_public_acls: bool
    block_public_policy: bool
    restrict_public_buckets: bool


class TransitionState(StateModel):
    storage_class: str
    days: int


class LifecycleRuleState(StateModel):
    prefix: str
    enabled: bool
    transitions: list[TransitionState]
    expiration_days: int | None
    noncurrent_expiration_days: int | None
    abort_incomplete_multipart_days: int | None

    @field_validator("transitions")
    @classmethod
    def _by_days(cls, value: list[TransitionState]) -> list[TransitionState]:
        return sorted(value, key=lambda t: (t.days, t.storage_class))


class PolicyStatementState(StateModel):
    """A bucket policy statement reduced to who may do what where."""

    effect: Literal["Allow", "Deny"]
    principal: str = Field(
        description="`cloudfront`, a spec path (`functions.x`, `roles.x`) or the raw principal."
    )
    access: Literal["read", "write", "read_write", "other"]
    prefix: str = Field(description="Key prefix the statement is limited to (`` for the whole bucket).")


class IntelligentTieringState(StateModel):
    prefix: str
    archive_access_days: int | None
    deep_archive_access_days: int | None


class BucketState(ResourceState):
    kind: ClassVar[str] = "bucket"
    public_access_block: PublicAccessBlockState
    encryption: Literal["s3_managed", "kms", "none"]
    kms_key: str | None
    versioning: bool
    lifecycle_rules: dict[str, LifecycleRuleState]
    policy_statements: dict[str, PolicyStatementState] = Field(
        description="Sid -> statement (TLS denial excluded)."
    )
    enforce_tls: bool = Field(description="A Deny statement for requests with aws:SecureTransport false.")
    logging_bucket: str | None = Field(description="Spec path of the bucket receiving server access logs.")
    intelligent_tiering: list[IntelligentTieringState] = Field(
        description="Archive configurations, by prefix."
    )
    object_ownership: str
    notifications: dict[str, str] = Field(
        default={},
        description=(
            "Event notifications: `<event> <prefix>*<suffix>` (e.g. `s3:ObjectCreated:* incoming/*.csv`) -> "
            "spec path of the function, queue or topic notified."
        ),
    )

    @field_validator("intelligent_tiering")
    @classmethod
    def _by_prefix(cls, value: list[IntelligentTieringState]) -> list[IntelligentTieringState]:
        return sorted(value, key=lambda c: c.prefix)


def notification_key(event: str, prefix: str, suffix: str) -> str:
    """Natural key of one notified event type and filter, the same on both sides."""
    return f"{event} {prefix}*{suffix}"


# --- desired ---------------------------------------------------------------------------------------------


def bucket_policy_principal(principal: str) -> str:
    """Spec principal (`cloudfront`, `functions.x`, `roles.x`) as a state reads it: `cloudfront` or the
    principal's spec path (`functions.x` for its execution role, `security.roles.x`)."""
    if principal.startswith("roles."):
        return f"security.{principal}"
    return principal


def _bucket(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    b: BucketSpec = spec.buckets[res.path.split(".", 1)[1]]
    on = b.block_public_access
    tiering = []
    if b.intelligent_tiering.enabled:
        it = b.intelligent_tiering
        tiering.append(
            IntelligentTieringState(
                prefix=it.prefix,
                archive_access_days=it.archive_access_days,
                deep_archive_access_days=it.deep_archive_access_days,
            )
        )
    return [
        BucketState(
            **identity(spec, res, STATES[res.type]),
            public_access_block=PublicAccessBlockState(
                block_public_acls=on,
                ignore_public_acls=on,
                block_public_policy=on,
                restrict_public_buckets=on,
            ),
            encryption=b.encryption,
            kms_key=f"security.kms_keys.{b.kms_key}" if b.encryption == "kms" and b.kms_key else None,
            versioning=b.versioning,
            lifecycle_rules={
                r.id: LifecycleRuleState(
                    prefix=r.prefix,
                    enabled=True,
                    transitions=[
                        TransitionState(storage_class=t.storage_class, days=t.days) for t in r.transitions
                    ],
                    expiration_days=r.expiration_days,
                    noncurrent_expiration_days=r.noncurrent_expiration_days,
                    abort_incomplete_multipart_days=r.abort_incomplete_multipart_days,
                )
                for r in b.lifecycle
            },
            policy_statements={
                p.sid: PolicyStatementState(
                    effect="Allow",
                    principal=bucket_policy_principal(p.principal),
                    access=p.access,
                    prefix=p.prefix,
                )
                for p in b.policies
            },
            enforce_tls=b.enforce_tls,
            logging_bucket=f"buckets.{b.access_logs_bucket}" if b.access_logs_bucket else None,
            intelligent_tiering=tiering,
            object_ownership=b.object_ownership,
            notifications={
                notification_key(S3_EVENTS[event], n.prefix, n.suffix): n.target_path()
                for n in b.notifications
                for event in n.events
            },
        )
    ]


# --- observed --------------------------------------------------------------------------------------------


def _access(actions: list[str]) -> str:
    read = any(a.startswith(S3_READ_ACTION_PREFIXES) for a in actions)
    write = any(a.startswith(S3_WRITE_ACTION_PREFIXES) for a in actions)
    if any(not a.startswith(S3_READ_ACTION_PREFIXES + S3_WRITE_ACTION_PREFIXES) for a in actions):
        return "other"
    return "read_write" if read and write else "read" if read else "write" if write else "other"


def principal_path(principal: Any, roles: dict[str, str]) -> str:
    """`cloudfront`, a spec path (via the role name), or the raw principal as JSON."""
    if isinstance(principal, dict):
        service = principal.get("Service")
        if service in ("cloudfront.amazonaws.com", ["cloudfront.amazonaws.com"]):
            return "cloudfront"
        aws = principal.get("AWS")
        if isinstance(aws, list) and len(aws) == 1:
            aws = aws[0]
        if isinstance(aws, str):
            if "CloudFront Origin Access Identity" in aws:
                return "cloudfront"
            if ":role/" in aws:
                return roles.get(aws.rsplit("/", 1)[-1], aws)
            return aws
    return json.dumps(principal, sort_keys=True)


def _prefix(resources: list[str], bucket: str) -> str:
    objects = [r for r in resources if r.startswith(f"arn:aws:s3:::{bucket}/")]
    if not objects:
        return ""
    return objects[0].split("/", 1)[1].rstrip("*")


_ELB_LOG_SERVICES = frozenset(
    {"logdelivery.elasticloadbalancing.amazonaws.com", "delivery.logs.amazonaws.com"}
)

_ACCOUNT_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:root$")


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value or [])


def is_load_balancer_log_delivery(st: dict[str, Any], bucket: str, prefixes: list[str]) -> bool:
    """The statement letting Elastic Load Balancing write access logs under ``<prefix>/AWSLogs/`` of the
    bucket (the region's ELB account, or its log-delivery service): implied by a load balancer's
    `access_logs_bucket`, not a declared policy statement."""
    if st.get("Effect") != "Allow" or not prefixes:
        return False
    principal = st.get("Principal") or {}
    if not isinstance(principal, dict):
        return False
    accounts, services = _as_list(principal.get("AWS")), _as_list(principal.get("Service"))
    if not (
        (accounts and all(_ACCOUNT_ROOT.match(a) for a in accounts) and not services)
        or (services and set(services) <= _ELB_LOG_SERVICES and not accounts)
    ):
        return False
    actions, resources = set(_as_list(st.get("Action"))), _as_list(st.get("Resource"))
    if actions == {"s3:GetBucketAcl"} and services:  # the log-delivery service checks the bucket's owner
        return resources == [f"arn:aws:s3:::{bucket}"]
    if actions != {"s3:PutObject"}:
        return False
    allowed = tuple(
        f"arn:aws:s3:::{bucket}/{(p.strip('/') + '/') if p.strip('/') else ''}AWSLogs/" for p in prefixes
    )
    return bool(resources) and all(r.startswith(allowed) for r in resources)


def parse_policy(
    text: str | None, bucket: str, roles: dict[str, str], elb_log_prefixes: list[str] | None = None
) -> tuple[dict[str, PolicyStatementState], bool]:
    if not text:
        return {}, False
    doc = json.loads(text)
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out: dict[str, PolicyStatementState] = {}
    tls = False
    for i, st in enumerate(statements):
        condition = st.get("Condition") or {}
        secure = condition.get("Bool", {}).get("aws:SecureTransport")
        if st.get("Effect") == "Deny" and str(secure).lower() == "false":
            tls = True
            continue
        if st.get("Effect") == "Deny" and "s3:TlsVersion" in condition.get("NumericLessThan", {}):
            continue  # the minimum TLS version (security.data.tls_minimum): part of TLS enforcement
        if (st.get("Principal") or {}) in (
            {"Service": "logging.s3.amazonaws.com"},
            {"Service": ["logging.s3.amazonaws.com"]},
        ):
            continue  # implied by another bucket's server access logging (see `logging_bucket`)
        if is_load_balancer_log_delivery(st, bucket, elb_log_prefixes or []):
            continue  # implied by the load balancer's access logs (see its `access_logs_bucket`)
        actions = st.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        resources = st.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        out[st.get("Sid") or f"Statement{i}"] = PolicyStatementState(
            effect=st.get("Effect", "Allow"),
            principal=principal_path(st.get("Principal", {}), roles),
            access=_access(actions),
            prefix=_prefix(resources, bucket),
        )
    return out, tls


def _lifecycle(rules: list[dict[str, Any]]) -> dict[str, LifecycleRuleState]:
    out = {}
    for r in rules:
        flt = r.get("Filter") or {}
        prefix = flt.get("Prefix", (flt.get("And") or {}).get("Prefix", r.get("Prefix", "")))
        out[r.get("ID", "")] = LifecycleRuleState(
            prefix=prefix or "",
            enabled=r.get("Status") == "Enabled",
            transitions=[
                TransitionState(storage_class=t["StorageClass"], days=t.get("Days", 0))
                for t in r.get("Transitions", [])
            ],
            expiration_days=(r.get("Expiration") or {}).get("Days"),
            noncurrent_expiration_days=(r.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays"),
            abort_incomplete_multipart_days=(r.get("AbortIncompleteMultipartUpload") or {}).get(
                "DaysAfterInitiation"
            ),
        )
    return out


def _tiering(configs: list[dict[str, Any]]) -> list[IntelligentTieringState]:
    out = []
    for c in configs:
        if c.get("Status") != "Enabled":
            continue
        days = {t["AccessTier"]: t["Days"] for t in c.get("Tierings", [])}
        flt = c.get("Filter") or {}
        out.append(
            IntelligentTieringState(
                prefix=flt.get("Prefix", (flt.get("And") or {}).get("Prefix", "")) or "",
                archive_access_days=days.get("ARCHIVE_ACCESS"),
                deep_archive_access_days=days.get("DEEP_ARCHIVE_ACCESS"),
            )
        )
    return out


_DESTINATIONS = {
    "QueueConfigurations": "QueueArn",
    "TopicConfigurations": "TopicArn",
    "LambdaFunctionConfigurations": "LambdaFunctionArn",
}
"""Notification configuration list -> the key of its destination's ARN."""


def _notifications(config: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for group, arn_key in _DESTINATIONS.items():
        for entry in config.get(group, []):
            rules = {
                r["Name"].lower(): r["Value"]
                for r in entry.get("Filter", {}).get("Key", {}).get("FilterRules", [])
            }
            for event in entry.get("Events", []):
                out[notification_key(event, rules.get("prefix", ""), rules.get("suffix", ""))] = entry[
                    arn_key
                ]
    return out


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::S3::Bucket")
    if not wanted:
        return
    s3 = ctx.aws.client("s3")
    buckets = ctx.path_by_name("AWS::S3::Bucket")
    roles = {function_role_name(ctx.spec, key): f"functions.{key}" for key in ctx.spec.functions}
    roles.update({s.physical_id: s.path for s in ctx.wanted("AWS::IAM::Role")})
    elb_logs: dict[str, list[str]] = {}
    for lb in ctx.wanted("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        bucket, prefix = getattr(lb, "access_logs_bucket", None), getattr(lb, "access_logs_prefix", None)
        if bucket:
            elb_logs.setdefault(bucket, []).append(prefix or "")

    def read(want: ResourceState) -> ResourceState | None:
        name = want.physical_id
        try:
            versioning = s3.get_bucket_versioning(Bucket=name)
        except Exception as exc:
            if is_not_found(exc, "NoSuchBucket"):
                return None
            raise
        u = Unreadable()
        tags = u.read("tags", lambda: s3.get_bucket_tagging(Bucket=name)["TagSet"], "NoSuchTagSet") or []
        pab = (
            u.read(
                "public_access_block",
                lambda: s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"],
                "NoSuchPublicAccessBlockConfiguration",
            )
            or {}
        )
        enc = (
            u.read(
                "encryption",
                lambda: s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"],
                "ServerSideEncryptionConfigurationNotFoundError",
            )
            or {}
        )
        default = ((enc.get("Rules") or [{}])[0]).get("ApplyServerSideEncryptionByDefault") or {}
        algorithm = default.get("SSEAlgorithm")
        lifecycle = (
            u.read(
                "lifecycle_rules",
                lambda: s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"],
                "NoSuchLifecycleConfiguration",
            )
            or []
        )
        policy = u.read(
            "policy_statements", lambda: s3.get_bucket_policy(Bucket=name)["Policy"], "NoSuchBucketPolicy"
        )
        if "policy_statements" in u.reasons:
            u.reasons["enforce_tls"] = u.reasons["policy_statements"]
        statements, tls = parse_policy(policy, name, roles, elb_logs.get(want.path, []))
        logging = (
            u.read("logging_bucket", lambda: s3.get_bucket_logging(Bucket=name).get("LoggingEnabled")) or {}
        )
        target = logging.get("TargetBucket")
        tiering: list[dict[str, Any]] = (
            u.read(
                "intelligent_tiering",
                lambda: s3.list_bucket_intelligent_tiering_configurations(Bucket=name).get(
                    "IntelligentTieringConfigurationList", []
                ),
            )
            or []
        )
        ownership = u.read(
            "object_ownership",
            lambda: s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0][
                "ObjectOwnership"
            ],
            "OwnershipControlsNotFoundError",
        )
        config = u.read("notifications", lambda: s3.get_bucket_notification_configuration(Bucket=name)) or {}
        return BucketState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=name,
            arn=f"arn:aws:s3:::{name}",
            ids=[f"arn:aws:s3:::{name}"],
            unreadable=u.reasons,
            tags={t["Key"]: t["Value"] for t in tags},
            public_access_block=PublicAccessBlockState(
                block_public_acls=bool(pab.get("BlockPublicAcls")),
                ignore_public_acls=bool(pab.get("IgnorePublicAcls")),
                block_public_policy=bool(pab.get("BlockPublicPolicy")),
                restrict_public_buckets=bool(pab.get("RestrictPublicBuckets")),
            ),
            encryption="s3_managed" if algorithm == "AES256" else "kms" if algorithm else "none",
            kms_key=default.get("KMSMasterKeyID") if algorithm and algorithm.startswith("aws:kms") else None,
            versioning=versioning.get("Status") == "Enabled",
            lifecycle_rules=_lifecycle(lifecycle),
            policy_statements=statements,
            enforce_tls=tls,
            logging_bucket=buckets.get(target, target) if target else None,
            intelligent_tiering=_tiering(tiering),
            object_ownership=ownership or "ObjectWriter",
            notifications=_notifications(config),
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::S3::Bucket": BucketState,
}

KIND = Kind(
    states=STATES,
    desired=_bucket,
    collect=collect,
    reads={
        "s3": (
            "GetBucketTagging",
            "GetPublicAccessBlock",
            "GetBucketEncryption",
            "GetBucketVersioning",
            "GetBucketLifecycleConfiguration",
            "GetBucketPolicy",
            "GetBucketLogging",
            "ListBucketIntelligentTieringConfigurations",
            "GetBucketOwnershipControls",
            "GetBucketNotificationConfiguration",
        )
    },
    security=frozenset(
        {"public_access_block", "encryption", "kms_key", "policy_statements", "enforce_tls", "notifications"}
    ),
)
