"""Lambda functions (one GetFunction each: configuration, reserved concurrency, tags), their event-source
mappings, layers, log retention and the execution role's policies (for compliance).
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from archkit.spec import ArchSpec
from archkit.spec.compute import FunctionSpec
from archkit.spec.conventions import (
    API_GATEWAY_PRINCIPAL,
    ELB_PRINCIPAL,
    EVENTS_PRINCIPAL,
    PROVISIONED_ALIAS,
    ROTATION_PRINCIPAL,
    S3_PRINCIPAL,
    SNS_PRINCIPAL,
    delivering_services,
)
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    function_role_name,
    secret_env_var,
)
from archkit.spec.wiring import (
    DB_HOST_VAR,
    DB_NAME_VAR,
    DB_PORT_VAR,
    database_functions,
    function_secret_keys,
)
from archkit.verify.kinds.base import (
    Kind,
    identity,
    private_subnet_paths,
    resolve_env_value,
    secret_path,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    is_not_found,
    paginate,
)
from archkit.verify.state import (
    IamStatementState,
    ResourcePolicyStatementState,
    ResourceState,
    SortedSet,
    StateModel,
    arn_account,
    mask_env_value,
    resource_policy_statements,
    statement_key,
)

# --- state -----------------------------------------------------------------------------------------------


class EventSourceState(StateModel):
    batch_size: int
    starting_position: str | None
    retry_attempts: int | None
    on_failure_destination: bool
    enabled: bool
    batching_window: int = Field(default=0, description="Seconds Lambda gathers a batch (0: none).")
    report_failures: bool = Field(default=False, description="Partial batch failures (`batchItemFailures`).")


class AsyncInvokeState(StateModel):
    retries: int
    max_event_age: int
    on_failure: str | None = Field(description="Spec path of the failure destination (queue or topic).")


class FunctionState(ResourceState):
    kind: ClassVar[str] = "function"
    IDENTITY_FIELDS: ClassVar[frozenset[str]] = ResourceState.IDENTITY_FIELDS | {"role_statements"}
    runtime: str
    architecture: Literal["arm64", "x86_64"]
    handler: str
    memory: int
    timeout: int
    ephemeral_storage: int
    tracing: bool
    reserved_concurrency: int | None
    role: str = Field(description="Execution role name.")
    subnets: SortedSet = Field(description="Spec paths of the VPC subnets (empty outside the VPC).")
    security_groups: SortedSet = Field(description="Spec paths of the security groups.")
    layers: list[str] = Field(description="Spec paths of the attached layers, in order.")
    environment: dict[str, str] = Field(
        description=(
            "Environment variables. ARNs and URLs of the system's resources read as `${<spec path>.arn}` / "
            "`${api.url}`; values of secret-looking names are replaced by a digest."
        )
    )
    event_sources: dict[str, EventSourceState] = Field(
        description="Source spec path (`tables.main`) -> mapping."
    )
    log_retention_days: int | None = Field(
        description="Retention of /aws/lambda/<name>; None if never-expire."
    )
    resource_policy: dict[str, ResourcePolicyStatementState] = Field(
        default_factory=dict,
        description=(
            "The function's resource policy (its invoke permissions), `<Effect> <principal>` -> actions and "
            "condition keys: who besides its own account may invoke it."
        ),
    )
    async_invoke: AsyncInvokeState | None = Field(
        default=None, description="Asynchronous invocation configuration (none: AWS's defaults)."
    )
    provisioned_concurrency: int | None = Field(
        default=None, description=f"Provisioned concurrency of the `{PROVISIONED_ALIAS}` alias."
    )
    role_statements: list[IamStatementState] | None = Field(
        default=None,
        description=(
            "Allow statements of the execution role's policies (observed only; not compared by drift because "
            "the generated grant statements are not something the spec states)."
        ),
    )

    @field_validator("environment")
    @classmethod
    def _mask_secret_values(cls, env: dict[str, str]) -> dict[str, str]:
        return {name: mask_env_value(name, env[name]) for name in sorted(env)}


# --- desired ---------------------------------------------------------------------------------------------


def function_environment(spec: ArchSpec, fn: FunctionSpec, key: str | None = None) -> dict[str, str]:
    env = {name: resolve_env_value(spec, value) for name, value in fn.environment.items()}
    secrets = function_secret_keys(spec, key) if key is not None else list(fn.secrets)
    for secret in secrets:
        env[secret_env_var(secret)] = "${" + secret_path(spec, secret) + ".arn}"
    if key is not None and key in database_functions(spec):
        env[DB_HOST_VAR] = "${rds.address}"
        env[DB_PORT_VAR] = str(spec.rds.effective_port())
        env[DB_NAME_VAR] = spec.rds.database_name
    return env


INVOKE = "lambda:InvokeFunction"
SOURCE_ARN = "ArnLike aws:sourcearn"
SOURCE_ACCOUNT = "StringEquals aws:sourceaccount"


def function_permissions(spec: ArchSpec, key: str) -> dict[str, ResourcePolicyStatementState]:
    """The invoke permissions CDK deploys for a function: API Gateway for the methods it integrates and the
    authorizers it implements (each scoped to its execute-api ARN), the load balancer for its target group
    (scoped to the group and the account), Secrets Manager for the secrets it rotates (scoped to the
    account), EventBridge, S3 and SNS for the schedules, rules, notifications and subscriptions that invoke
    it (scoped to their source)."""
    scopes: dict[str, list[str]] = {}
    api_invoked = any(
        m.function == key and m.integration != "vpc_link" for _, _, m in spec.api.methods()
    ) or any(a.function == key for a in spec.api.authorizers.values())
    if spec.api.routes and api_invoked:
        scopes[API_GATEWAY_PRINCIPAL] = [SOURCE_ARN]
    if spec.network.alb.enabled and key in spec.network.alb.targets:
        scopes[ELB_PRINCIPAL] = [SOURCE_ARN, SOURCE_ACCOUNT]
    if any(s.rotation is not None and s.rotation.function == key for s in spec.secrets.values()):
        scopes[ROTATION_PRINCIPAL] = [SOURCE_ACCOUNT]
    source_scopes = {
        EVENTS_PRINCIPAL: [SOURCE_ARN],  # each rule's permission names the rule
        S3_PRINCIPAL: [SOURCE_ARN, SOURCE_ACCOUNT],  # the bucket and its account
        SNS_PRINCIPAL: [SOURCE_ARN],  # the topic
    }
    for service in delivering_services(spec, f"functions.{key}"):
        scopes[service] = source_scopes[service]
    return {
        statement_key("Allow", principal): ResourcePolicyStatementState(
            actions=[INVOKE], conditions=conditions
        )
        for principal, conditions in sorted(scopes.items())
    }


def _function(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    key = res.path.split(".", 1)[1]
    fn = spec.functions[key]
    private = private_subnet_paths(spec)
    sources = {
        f"tables.{tkey}": EventSourceState(
            batch_size=t.stream.batch_size,
            starting_position=t.stream.starting_position,
            retry_attempts=t.stream.retry_attempts,
            on_failure_destination=t.stream.on_failure_queue,
            enabled=True,
            report_failures=True,
        )
        for tkey, t in spec.tables.items()
        if t.stream is not None and t.stream.consumer == key
    }
    for trigger in fn.triggers:
        sources[f"queues.{trigger.queue}"] = EventSourceState(
            batch_size=trigger.batch_size,
            starting_position=None,
            retry_attempts=None,
            on_failure_destination=False,
            enabled=trigger.enabled,
            batching_window=trigger.batching_window,
            report_failures=trigger.report_failures,
        )
    async_invoke = None
    if fn.async_invoke is not None:
        failure = fn.async_invoke.on_failure
        async_invoke = AsyncInvokeState(
            retries=fn.async_invoke.retries,
            max_event_age=fn.async_invoke.max_event_age,
            on_failure=failure.target_path() if failure is not None else None,
        )
    return [
        FunctionState(
            **identity(spec, res, STATES[res.type]),
            runtime=fn.runtime,
            architecture=fn.architecture,
            handler=fn.handler,
            memory=fn.memory,
            timeout=fn.timeout,
            ephemeral_storage=fn.ephemeral_storage,
            tracing=fn.tracing,
            reserved_concurrency=fn.reserved_concurrency,
            role=function_role_name(spec, key),
            subnets=private if fn.vpc else [],
            security_groups=[f"network.security_groups.{g}" for g in fn.security_groups] if fn.vpc else [],
            layers=[f"layers.{layer}" for layer in fn.layers],
            environment=function_environment(spec, fn, key),
            event_sources=sources,
            log_retention_days=fn.log_retention_days,
            resource_policy=function_permissions(spec, key),
            async_invoke=async_invoke,
            provisioned_concurrency=fn.provisioned_concurrency,
        )
    ]


# --- observed --------------------------------------------------------------------------------------------


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
        batching_window=mapping.get("MaximumBatchingWindowInSeconds") or 0,
        report_failures="ReportBatchItemFailures" in (mapping.get("FunctionResponseTypes") or []),
    )


def _async_invoke(lam: Any, name: str, qualifier: str | None) -> AsyncInvokeState | None:
    kwargs = {"FunctionName": name, **({"Qualifier": qualifier} if qualifier else {})}
    config = lam.get_function_event_invoke_config(**kwargs)
    failure = (config.get("DestinationConfig") or {}).get("OnFailure", {}).get("Destination")
    return AsyncInvokeState(
        retries=config.get("MaximumRetryAttempts", 2),
        max_event_age=config.get("MaximumEventAgeInSeconds", 21600),
        on_failure=failure or None,
    )


def _provisioned(lam: Any, name: str) -> int | None:
    config = lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=PROVISIONED_ALIAS)
    return config.get("RequestedProvisionedConcurrentExecutions")


def collect(ctx: Context) -> None:
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
        policy = unreadable.read(
            "resource_policy",
            lambda: lam.get_policy(FunctionName=cfg["FunctionName"]).get("Policy"),
            "ResourceNotFoundException",
        )
        archs = cfg.get("Architectures") or ["x86_64"]
        # The alias holding provisioned concurrency is what triggers invoke and what its config is set on.
        qualifier = PROVISIONED_ALIAS if getattr(want, "provisioned_concurrency", None) else None
        async_invoke = unreadable.read(
            "async_invoke",
            lambda: _async_invoke(lam, cfg["FunctionName"], qualifier),
            "ResourceNotFoundException",
        )
        provisioned = unreadable.read(
            "provisioned_concurrency",
            lambda: _provisioned(lam, cfg["FunctionName"]),
            "ProvisionedConcurrencyConfigNotFoundException",
            "ResourceNotFoundException",
            "404",
        )
        return FunctionState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=cfg["FunctionName"],
            arn=cfg["FunctionArn"],
            ids=[cfg["FunctionArn"], f"{cfg['FunctionArn']}:{PROVISIONED_ALIAS}"],
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
            resource_policy=resource_policy_statements(policy, arn_account(cfg["FunctionArn"])),
            role_statements=statements,
            async_invoke=async_invoke,
            provisioned_concurrency=provisioned,
        )

    ctx.each_desired(wanted, read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::Lambda::Function": FunctionState,
}

KIND = Kind(
    states=STATES,
    desired=_function,
    collect=collect,
    reads={
        "lambda": (
            "GetFunction",
            "GetPolicy",
            "ListEventSourceMappings",
            "GetFunctionEventInvokeConfig",
            "GetProvisionedConcurrencyConfig",
        ),
        "logs": ("DescribeLogGroups",),
        "iam": (
            "ListRolePolicies",
            "GetRolePolicy",
            "ListAttachedRolePolicies",
            "GetPolicy",
            "GetPolicyVersion",
        ),
    },
    security=frozenset({"resource_policy"}),
)
