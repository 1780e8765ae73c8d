"""Lambda functions (one GetFunction each: configuration, reserved concurrency, tags), their event-source
mappings, layers, log retention and the execution role's policies (for compliance)."""

from __future__ import annotations

import threading
from typing import Any

from archkit.verify.collect.aws import paginate
from archkit.verify.collect.base import Context, Unreadable, is_not_found
from archkit.verify.state import EventSourceState, FunctionState, IamStatementState, LayerState, ResourceState


def collect_layers(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::Lambda::LayerVersion")
    if not wanted:
        return
    lam = ctx.aws.client("lambda")
    layers = {layer["LayerName"]: layer for layer in paginate(lam, "list_layers", "Layers")}
    for want in wanted:
        layer = layers.get(want.physical_id)
        if layer is None:
            continue
        latest = layer.get("LatestMatchingVersion", {})
        ctx.add(
            LayerState(
                path=want.path,
                resource_type=want.resource_type,
                physical_id=layer["LayerName"],
                arn=latest.get("LayerVersionArn"),
                ids=[layer["LayerArn"], latest.get("LayerVersionArn", "")],
                description=latest.get("Description", ""),
                compatible_runtimes=latest.get("CompatibleRuntimes", []),
                compatible_architectures=latest.get("CompatibleArchitectures", []),
            )
        )


class _PolicyCache:
    """Managed policies are shared by many roles: read each default version once."""

    def __init__(self, iam: Any) -> None:
        self.iam = iam
        self._lock = threading.Lock()
        self._docs: dict[str, Any] = {}

    def document(self, arn: str) -> Any:
        with self._lock:
            if arn in self._docs:
                return self._docs[arn]
        version = self.iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        doc = self.iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
        with self._lock:
            self._docs[arn] = doc
        return doc


def _role_statements(iam: Any, cache: _PolicyCache, role_name: str) -> list[IamStatementState]:
    statements: list[IamStatementState] = []
    for name in paginate(iam, "list_role_policies", "PolicyNames", RoleName=role_name):
        doc = iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
        statements.extend(IamStatementState.from_policy_document(doc))
    for attached in paginate(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=role_name):
        statements.extend(IamStatementState.from_policy_document(cache.document(attached["PolicyArn"])))
    return sorted(statements, key=lambda s: (s.actions, s.resources))


def _event_source(mapping: dict[str, Any]) -> EventSourceState:
    return EventSourceState(
        batch_size=mapping.get("BatchSize", 100),
        starting_position=mapping.get("StartingPosition"),
        retry_attempts=mapping.get("MaximumRetryAttempts"),
        on_failure_destination=bool(
            mapping.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        ),
        enabled=mapping.get("State", "Enabled") in ("Enabled", "Enabling", "Creating", "Updating"),
    )


def collect_functions(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::Lambda::Function")
    if not wanted:
        return
    lam = ctx.aws.client("lambda")
    logs = ctx.aws.client("logs")
    iam = ctx.aws.client("iam")
    cache = _PolicyCache(iam)
    mappings: dict[str, list[dict[str, Any]]] = {}
    for m in paginate(lam, "list_event_source_mappings", "EventSourceMappings"):
        mappings.setdefault(m["FunctionArn"].split(":function:")[-1].split(":")[0], []).append(m)
    prefix = f"/aws/lambda/{ctx.spec.project}-{ctx.spec.environment}-"
    log_unreadable = Unreadable()
    groups = log_unreadable.read(
        "log_retention_days",
        lambda: paginate(logs, "describe_log_groups", "logGroups", logGroupNamePrefix=prefix),
    )
    retention = {g["logGroupName"]: g.get("retentionInDays") for g in groups or []}

    def read(want: ResourceState) -> ResourceState | None:
        try:
            fn = lam.get_function(FunctionName=want.physical_id)
        except Exception as exc:
            if is_not_found(exc, "ResourceNotFoundException"):
                return None
            raise
        cfg = fn["Configuration"]
        vpc = cfg.get("VpcConfig") or {}
        unreadable = Unreadable()
        unreadable.reasons.update(log_unreadable.reasons)
        role_name = cfg.get("Role", "").rsplit("/", 1)[-1]
        statements = unreadable.read(
            "role_statements", lambda: _role_statements(iam, cache, role_name), "NoSuchEntity"
        )
        archs = cfg.get("Architectures") or ["x86_64"]
        return FunctionState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=cfg["FunctionName"],
            arn=cfg["FunctionArn"],
            ids=[cfg["FunctionArn"]],
            unreadable=unreadable.reasons,
            tags=fn.get("Tags", {}),
            runtime=cfg.get("Runtime", ""),
            architecture=archs[0],
            handler=cfg.get("Handler", ""),
            memory=cfg.get("MemorySize", 128),
            timeout=cfg.get("Timeout", 3),
            ephemeral_storage=(cfg.get("EphemeralStorage") or {}).get("Size", 512),
            tracing=(cfg.get("TracingConfig") or {}).get("Mode") == "Active",
            reserved_concurrency=(fn.get("Concurrency") or {}).get("ReservedConcurrentExecutions"),
            role=role_name,
            subnets=vpc.get("SubnetIds", []),
            security_groups=vpc.get("SecurityGroupIds", []),
            layers=[layer["Arn"] for layer in cfg.get("Layers", [])],
            environment=(cfg.get("Environment") or {}).get("Variables", {}),
            event_sources={
                m["EventSourceArn"]: _event_source(m) for m in mappings.get(cfg["FunctionName"], [])
            },
            log_retention_days=retention.get(f"/aws/lambda/{cfg['FunctionName']}"),
            role_statements=statements,
        )

    ctx.each_desired(wanted, read)
