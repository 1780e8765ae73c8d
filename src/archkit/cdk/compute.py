"""Compute domain: the functions' execution roles with their least-privilege grants, the Lambda layers,
the functions themselves (ARM64, sized, in the private subnets), stream mappings and secret rotation."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from archkit.cdk.context import BuildContext, retention
from archkit.cdk.data import DatabaseConstruct, bucket_arn
from archkit.cdk.nag import acknowledge, nag_name
from archkit.spec import ArchSpec
from archkit.spec.access import (
    BUCKET_LIST_ACTION,
    SECRET_READ_ACTIONS,
    bucket_object_actions,
    kms_actions,
    object_resource_suffix,
    table_actions,
)
from archkit.spec.base import Access
from archkit.spec.compute import newest_runtime
from archkit.spec.conventions import ROTATION_PRINCIPAL
from archkit.spec.naming import function_role_name, secret_env_var
from archkit.spec.placeholders import resolve_placeholders
from archkit.spec.wiring import (
    DB_HOST_VAR,
    DB_NAME_VAR,
    DB_PORT_VAR,
    database_functions,
    function_secret_keys,
)

ASSET_EXCLUDES = ["__pycache__", "*.pyc", "*.pyo", ".pytest_cache", ".mypy_cache", ".DS_Store"]
"""Never staged: byte-code caches would make asset hashes depend on who ran the tests."""

_ARCHITECTURES = {"arm64": lambda_.Architecture.ARM_64, "x86_64": lambda_.Architecture.X86_64}


def runtime(name: str) -> lambda_.Runtime:
    for candidate in lambda_.Runtime.ALL:
        if candidate.name == name:
            return candidate
    raise ValueError(f"unknown Lambda runtime {name}")


class ExecutionRolesConstruct(Construct):
    """One execution role per function, holding the function's data grants exactly as the spec lists
    them: table actions (with indexes), bucket object actions limited to the granted prefixes, and the
    KMS actions on the keys of those stores. Runtime permissions (logs, ENIs, X-Ray, secrets, streams)
    are added by :class:`ComputeConstruct` next to the resources they name.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        tables: Mapping[str, dynamodb.ITable],
        table_keys: Mapping[str, kms.IKey | None],
        bucket_keys: Mapping[str, kms.IKey | None],
    ) -> None:
        super().__init__(scope, construct_id)
        spec = ctx.spec
        region = cdk.Stack.of(self).region
        self.roles: dict[str, iam.Role] = {}
        for key, fn in spec.functions.items():
            role = iam.Role(
                self,
                f"Role-{key}",
                role_name=function_role_name(spec, key),
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"Execution role of {ctx.name(key, 'functions')}",
                max_session_duration=cdk.Duration.hours(1),
            )
            ctx.own(f"functions.{key}", role)
            self.roles[key] = role
            for target, grant in fn.grants.items():
                kind, _, name = target.partition(".")
                if kind == "tables":
                    table = tables[name]
                    resources = [table.table_arn]
                    if grant.indexes and spec.tables[name].indexes:
                        # By name, so the finding id cdk-nag reports (and the spec acknowledges) is readable.
                        resources.append(
                            cdk.Stack.of(self).format_arn(
                                service="dynamodb",
                                resource="table",
                                resource_name=f"{ctx.name(name, 'tables')}/index/*",
                            )
                        )
                    role.add_to_principal_policy(
                        iam.PolicyStatement(actions=table_actions(grant.access), resources=resources)
                    )
                    if len(resources) > 1:
                        acknowledge(
                            role,
                            "AwsSolutions-IAM5",
                            f"the grant on {target} includes its global secondary indexes (grants.indexes); "
                            "the wildcard stands for the index names of this one table",
                            [
                                f"Resource::arn:<AWS::Partition>:dynamodb:{region}:<AWS::AccountId>:table/"
                                f"{nag_name(ctx, name, 'tables')}/index/*"
                            ],
                        )
                    key_ = table_keys.get(name)
                    if key_ is not None:
                        role.add_to_principal_policy(_kms_via(key_, grant.access, "dynamodb", self))
                elif kind == "buckets":
                    arn = bucket_arn(ctx.name(name, "buckets"))
                    prefixes = grant.prefixes or [""]
                    role.add_to_principal_policy(
                        iam.PolicyStatement(
                            actions=bucket_object_actions(grant.access),
                            resources=[f"{arn}/{object_resource_suffix(p)}" for p in prefixes],
                        )
                    )
                    bucket = nag_name(ctx, name, "buckets")
                    acknowledge(
                        role,
                        "AwsSolutions-IAM5",
                        f"object grants on {target} are limited to "
                        + (f"the prefixes {', '.join(grant.prefixes)}" if grant.prefixes else "that bucket")
                        + "; the wildcard stands for the object keys under them",
                        [
                            f"Resource::arn:<AWS::Partition>:s3:::{bucket}/{object_resource_suffix(p)}"
                            for p in prefixes
                        ],
                    )
                    if grant.access != "write":
                        conditions = (
                            {"StringLike": {"s3:prefix": [object_resource_suffix(p) for p in grant.prefixes]}}
                            if grant.prefixes
                            else None
                        )
                        role.add_to_principal_policy(
                            iam.PolicyStatement(
                                actions=[BUCKET_LIST_ACTION], resources=[arn], conditions=conditions
                            )
                        )
                    key_ = bucket_keys.get(name)
                    if key_ is not None:
                        role.add_to_principal_policy(_kms_via(key_, grant.access, "s3", self))


def _kms_via(key: kms.IKey, access: Access, service: str, scope: Construct) -> iam.PolicyStatement:
    """KMS use of a store's key, only through that store's service."""
    region = cdk.Stack.of(scope).region
    return iam.PolicyStatement(
        actions=kms_actions(access),
        resources=[key.key_arn],
        conditions={"StringEquals": {"kms:ViaService": f"{service}.{region}.amazonaws.com"}},
    )


class ComputeConstruct(Construct):
    """Layers and functions of the spec, bound to their VPC placement, roles, secrets and streams.

    Exposes ``functions`` and ``layers`` by spec key.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        roles: Mapping[str, iam.IRole],
        vpc: ec2.IVpc | None,
        subnets: ec2.SubnetSelection | None,
        security_groups: Mapping[str, ec2.ISecurityGroup],
        tables: Mapping[str, dynamodb.ITable],
        table_keys: Mapping[str, kms.IKey | None],
        stream_queues: Mapping[str, sqs.IQueue],
        secrets: Mapping[str, secretsmanager.ISecret],
        database: DatabaseConstruct | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        spec = ctx.spec
        stack = cdk.Stack.of(self)
        if database is not None and database.secret_key not in secrets:
            # Credentials RDS generated (no `rds.credentials_secret`): key `db_credentials`.
            secrets = {**secrets, database.secret_key: database.secret}
        db_users = set(database_functions(spec)) if database is not None else set()
        self.layers: dict[str, lambda_.LayerVersion] = {}
        for key, layer in spec.layers.items():
            version = lambda_.LayerVersion(
                self,
                f"Layer-{key}",
                layer_version_name=ctx.name(key),
                description=layer.description,
                code=lambda_.Code.from_asset(ctx.code_path(layer.code), exclude=ASSET_EXCLUDES),
                compatible_runtimes=[runtime(r) for r in layer.compatible_runtimes],
                compatible_architectures=[_ARCHITECTURES[a] for a in layer.compatible_architectures],
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            ctx.own(f"layers.{key}", version)
            self.layers[key] = version

        self.functions: dict[str, lambda_.Function] = {}
        self._pending_api_url: list[tuple[lambda_.Function, str, str]] = []
        for key, fn in spec.functions.items():
            scope_ = Construct(self, f"Function-{key}")
            ctx.own(f"functions.{key}", scope_)
            name = ctx.name(key, "functions")
            group = logs.LogGroup(
                scope_,
                "Logs",
                log_group_name=f"/aws/lambda/{name}",
                retention=retention(fn.log_retention_days),  # type: ignore[arg-type]
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            # A mutable reference, so the runtime statements land in this stack beside what they name.
            role = iam.Role.from_role_arn(scope_, "Role", roles[key].role_arn, mutable=True)
            _acknowledge_function(scope_, spec, key)
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[group.log_group_arn]
                )
            )
            if fn.vpc:
                # ENI management has no resource-level permissions.
                role.add_to_principal_policy(
                    iam.PolicyStatement(
                        actions=[
                            "ec2:AssignPrivateIpAddresses",
                            "ec2:CreateNetworkInterface",
                            "ec2:DeleteNetworkInterface",
                            "ec2:DescribeNetworkInterfaces",
                            "ec2:DescribeSubnets",
                            "ec2:UnassignPrivateIpAddresses",
                        ],
                        resources=["*"],
                    )
                )
            readable = function_secret_keys(spec, key)
            for secret_key in readable:
                secret = secrets[secret_key]
                role.add_to_principal_policy(
                    iam.PolicyStatement(actions=list(SECRET_READ_ACTIONS), resources=[secret.secret_arn])
                )
                if secret.encryption_key is not None:
                    role.add_to_principal_policy(
                        iam.PolicyStatement(
                            actions=["kms:Decrypt"],
                            resources=[secret.encryption_key.key_arn],
                            conditions={
                                "StringEquals": {
                                    "kms:ViaService": f"secretsmanager.{stack.region}.amazonaws.com"
                                }
                            },
                        )
                    )
            environment = {var: self._resolve(value, tables) for var, value in fn.environment.items()}
            environment.update({secret_env_var(s): secrets[s].secret_arn for s in readable})
            if key in db_users:
                assert database is not None
                environment.update(
                    {
                        DB_HOST_VAR: database.instance.db_instance_endpoint_address,
                        DB_PORT_VAR: database.instance.db_instance_endpoint_port,
                        DB_NAME_VAR: spec.rds.database_name,
                    }
                )
            function = lambda_.Function(
                scope_,
                "Function",
                function_name=name,
                description=fn.description or None,
                runtime=runtime(fn.runtime),
                architecture=_ARCHITECTURES[fn.architecture],
                handler=fn.handler,
                code=lambda_.Code.from_asset(ctx.code_path(fn.code), exclude=ASSET_EXCLUDES),
                memory_size=fn.memory,
                timeout=cdk.Duration.seconds(fn.timeout),
                ephemeral_storage_size=cdk.Size.mebibytes(fn.ephemeral_storage),
                reserved_concurrent_executions=fn.reserved_concurrency,
                layers=[self.layers[layer] for layer in fn.layers] or None,
                environment=dict(sorted(environment.items())) or None,
                role=role,
                tracing=lambda_.Tracing.ACTIVE if fn.tracing else lambda_.Tracing.DISABLED,
                log_group=group,
                vpc=vpc if fn.vpc else None,
                vpc_subnets=subnets if fn.vpc else None,
                security_groups=[security_groups[sg] for sg in fn.security_groups] if fn.vpc else None,
                allow_public_subnet=False,
            )
            for var, value in fn.environment.items():
                if "${api.url}" in value:
                    self._pending_api_url.append((function, var, value))
            self.functions[key] = function

        for key, table in spec.tables.items():
            if table.stream is not None and table.stream.consumer:
                self._stream(key, tables[key], table_keys.get(key), stream_queues.get(key))
        rotated: set[str] = set()
        for key, secret_spec in spec.secrets.items():
            if secret_spec.rotation is not None:
                schedule = secretsmanager.RotationSchedule(
                    self,
                    f"Rotation-{key}",
                    secret=secrets[key],
                    rotation_lambda=self.functions[secret_spec.rotation.function],
                    automatically_after=cdk.Duration.days(secret_spec.rotation.days),
                    rotate_immediately_on_update=False,
                )
                ctx.own(f"secrets.{key}", schedule)
                rotated.add(secret_spec.rotation.function)
        for function_key in sorted(rotated):
            _scope_to_account(self.functions[function_key], ROTATION_PRINCIPAL)

    def _resolve(self, value: str, tables: Mapping[str, dynamodb.ITable]) -> str:
        """Replace the spec's ``${...}`` placeholders; ``${api.url}`` is filled in by :meth:`bind_api_url`."""

        def arn(ref: str) -> str | None:
            kind, name, attr = ref.split(".")
            if attr != "arn":
                return None  # ${api.url}
            return tables[name].table_arn if kind == "tables" else bucket_arn(self.ctx.name(name, "buckets"))

        return resolve_placeholders(self.ctx.spec, value, arn)

    def bind_api_url(self, url: str) -> None:
        """Fill ``${api.url}`` placeholders once the API exists (only functions the API does not invoke)."""
        for function, var, value in self._pending_api_url:
            function.add_environment(var, value.replace("${api.url}", url))

    def _stream(
        self, key: str, table: dynamodb.ITable, table_key: kms.IKey | None, queue: sqs.IQueue | None
    ) -> None:
        ctx = self.ctx
        stream = ctx.spec.tables[key].stream
        assert stream is not None and stream.consumer is not None and table.table_stream_arn is not None
        function = self.functions[stream.consumer]
        role = function.role
        assert role is not None
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                resources=[table.table_stream_arn],
            )
        )
        # ListStreams has no resource-level permission; Lambda's stream poller calls it.
        role.add_to_principal_policy(iam.PolicyStatement(actions=["dynamodb:ListStreams"], resources=["*"]))
        if table_key is not None:
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=["kms:Decrypt"], resources=[table_key.key_arn])
            )
        mapping = lambda_.EventSourceMapping(
            self,
            f"Stream-{key}",
            target=function,
            event_source_arn=table.table_stream_arn,
            batch_size=stream.batch_size,
            starting_position=lambda_.StartingPosition(stream.starting_position),
            retry_attempts=stream.retry_attempts,
            bisect_batch_on_error=True,
            report_batch_item_failures=True,
            parallelization_factor=1,
            enabled=True,
            on_failure=_SqsFailureDestination(queue) if queue is not None else None,
        )
        ctx.own(f"tables.{key}", mapping)


def _SqsFailureDestination(queue: sqs.IQueue) -> lambda_.IEventSourceDlq:
    from aws_cdk import aws_lambda_event_sources as sources

    return sources.SqsDlq(queue)


def _scope_to_account(function: lambda_.IFunction, principal: str) -> None:
    """CDK's ``RotationSchedule`` lets the service call the function without ``SourceAccount``: any account's
    secret could then have it rotate (confused deputy). One permission serves every secret the function
    rotates, so it is scoped to this account rather than to one secret's ARN."""
    found = [
        child
        for child in function.node.children
        if isinstance(child, lambda_.CfnPermission) and child.principal == principal
    ]
    assert found, f"CDK granted {principal} no invoke permission"
    for permission in found:
        permission.source_account = cdk.Stack.of(function).account


def _acknowledge_function(scope: Construct, spec: ArchSpec, key: str) -> None:
    """The cdk-nag findings a function's own statements and settings cause by design, acknowledged on it."""
    fn = spec.functions[key]
    wildcard = []
    if fn.vpc:
        wildcard.append("Lambda ENI management in the VPC (ec2:*NetworkInterface*, ec2:DescribeSubnets)")
    if fn.tracing:
        wildcard.append("X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords)")
    if any(t.stream is not None and t.stream.consumer == key for t in spec.tables.values()):
        wildcard.append("dynamodb:ListStreams for the stream poller")
    if wildcard:
        acknowledge(
            scope,
            "AwsSolutions-IAM5",
            "only actions without resource-level permissions use '*': " + "; ".join(wildcard),
            ["Resource::*"],
        )
    newest = newest_runtime(fn.runtime)
    if fn.runtime == newest:
        acknowledge(
            scope,
            "AwsSolutions-L1",
            f"{fn.runtime} is the newest runtime of its family archkit offers; newer ones come with archkit",
        )
