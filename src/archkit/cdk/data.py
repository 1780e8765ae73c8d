"""Data domain: DynamoDB tables (global tables when replicated), their stream failure queues, S3 buckets
with prefix-scoped policies, and the optional RDS database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from archkit.cdk.context import BuildContext
from archkit.cdk.nag import acknowledge
from archkit.spec.access import bucket_object_actions, object_resource_suffix
from archkit.spec.conventions import (
    PITR_RECOVERY_DAYS,
    STREAM_FAILURE_RETENTION_DAYS,
    STREAM_FAILURE_VISIBILITY_TIMEOUT,
    TLS_PARAMETERS,
    database_parameter_group_name,
    stream_failure_queue_name,
    stream_failure_queue_path,
    stream_failure_tables,
)
from archkit.spec.data import BucketSpec, IndexSpec, KeySpec, TableSpec
from archkit.spec.naming import database_secret_key, kms_alias

_ATTRIBUTE_TYPES = {
    "string": dynamodb.AttributeType.STRING,
    "number": dynamodb.AttributeType.NUMBER,
    "binary": dynamodb.AttributeType.BINARY,
}
_PROJECTIONS = {
    "all": dynamodb.ProjectionType.ALL,
    "keys_only": dynamodb.ProjectionType.KEYS_ONLY,
    "include": dynamodb.ProjectionType.INCLUDE,
}
_STREAM_VIEWS = {
    "keys_only": dynamodb.StreamViewType.KEYS_ONLY,
    "new_image": dynamodb.StreamViewType.NEW_IMAGE,
    "old_image": dynamodb.StreamViewType.OLD_IMAGE,
    "new_and_old_images": dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
}
_STORAGE_CLASSES = {
    "STANDARD_IA": s3.StorageClass.INFREQUENT_ACCESS,
    "ONEZONE_IA": s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS,
    "INTELLIGENT_TIERING": s3.StorageClass.INTELLIGENT_TIERING,
    "GLACIER_IR": s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
    "GLACIER": s3.StorageClass.GLACIER,
    "DEEP_ARCHIVE": s3.StorageClass.DEEP_ARCHIVE,
}


def _attr(key: KeySpec) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=_ATTRIBUTE_TYPES[key.type])


def bucket_arn(name: str) -> str:
    """ARN of a bucket from its physical name (no cross-stack reference needed)."""
    return f"arn:{cdk.Aws.PARTITION}:s3:::{name}"


class DataConstruct(Construct):
    """Tables of ``spec.tables`` (with stream failure queues) and the given buckets of ``spec.buckets``.

    ``keys`` maps KMS key names to keys (customer-managed encryption); ``principals`` maps bucket-policy
    principals (``functions.<name>``, ``roles.<name>``) to IAM principals. Exposes ``tables``,
    ``table_keys``, ``stream_queues`` and ``buckets`` by spec key.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        keys: Mapping[str, kms.IKey],
        bucket_keys: list[str] | None = None,
        tables: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        self.keys = keys
        self.tables: dict[str, dynamodb.ITable] = {}
        self.table_keys: dict[str, kms.IKey | None] = {}
        self.stream_queues: dict[str, sqs.Queue] = {}
        if tables:
            for key, table in ctx.spec.tables.items():
                self._table(key, table)
        self.buckets = BucketsConstruct(
            self,
            "Buckets",
            ctx=ctx,
            keys=keys,
            bucket_keys=list(ctx.spec.buckets) if bucket_keys is None else bucket_keys,
        )

    def _table(self, key: str, spec: TableSpec) -> None:
        ctx = self.ctx
        table_key = (
            self.keys[spec.kms_key] if spec.encryption == "customer_managed" and spec.kms_key else None
        )
        table: dynamodb.ITable
        if spec.replicas:
            table = self._global_table(key, spec, table_key)
        else:
            table = self._regional_table(key, spec, table_key)
        ctx.own(f"tables.{key}", table)
        self.tables[key] = table
        self.table_keys[key] = table_key
        if key in stream_failure_tables(ctx.spec):
            queue = sqs.Queue(
                self,
                f"StreamFailures-{key}",
                queue_name=stream_failure_queue_name(ctx.spec, key),
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                enforce_ssl=True,
                retention_period=cdk.Duration.days(STREAM_FAILURE_RETENTION_DAYS),
                visibility_timeout=cdk.Duration.seconds(STREAM_FAILURE_VISIBILITY_TIMEOUT),
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            ctx.own(stream_failure_queue_path(key), queue)
            acknowledge(
                queue,
                "AwsSolutions-SQS3",
                f"this queue is itself the on-failure destination (dead-letter queue) of tables.{key}'s "
                "stream mapping; a dead-letter queue for it would add nothing",
            )
            self.stream_queues[key] = queue

    def _regional_table(self, key: str, spec: TableSpec, table_key: kms.IKey | None) -> dynamodb.Table:
        provisioned = spec.billing == "provisioned"
        encryption = {
            "aws_owned": dynamodb.TableEncryption.DEFAULT,
            "aws_managed": dynamodb.TableEncryption.AWS_MANAGED,
            "customer_managed": dynamodb.TableEncryption.CUSTOMER_MANAGED,
        }[spec.encryption]
        table = dynamodb.Table(
            self,
            f"Table-{key}",
            table_name=self.ctx.name(key, "tables"),
            partition_key=_attr(spec.partition_key),
            sort_key=_attr(spec.sort_key) if spec.sort_key else None,
            billing_mode=dynamodb.BillingMode.PROVISIONED
            if provisioned
            else dynamodb.BillingMode.PAY_PER_REQUEST,
            read_capacity=spec.read_capacity if provisioned else None,
            write_capacity=spec.write_capacity if provisioned else None,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=spec.point_in_time_recovery,
                recovery_period_in_days=PITR_RECOVERY_DAYS if spec.point_in_time_recovery else None,
            ),
            encryption=encryption,
            encryption_key=table_key,
            stream=_STREAM_VIEWS[spec.stream.view] if spec.stream else None,
            time_to_live_attribute=spec.ttl_attribute,
            deletion_protection=spec.deletion_protection,
            table_class=dynamodb.TableClass(spec.table_class),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        cfn = table.node.default_child
        assert isinstance(cfn, dynamodb.CfnTable)
        # Say which key encrypts the table even where CloudFormation would default it.
        if spec.encryption == "aws_owned":
            cfn.add_property_override("SSESpecification", {"SSEEnabled": False})
        else:
            cfn.add_property_override("SSESpecification.SSEType", "KMS")
        for name, index in spec.indexes.items():
            table.add_global_secondary_index(**self._index_props(name, index, provisioned))
        if provisioned and spec.auto_scaling is not None:
            scaling = spec.auto_scaling
            for dimension in ("read", "write"):
                fn = getattr(table, f"auto_scale_{dimension}_capacity")
                fn(min_capacity=scaling.min_capacity, max_capacity=scaling.max_capacity).scale_on_utilization(
                    target_utilization_percent=scaling.target_utilization
                )
                for name in spec.indexes:
                    fn = getattr(table, f"auto_scale_global_secondary_index_{dimension}_capacity")
                    fn(
                        name, min_capacity=scaling.min_capacity, max_capacity=scaling.max_capacity
                    ).scale_on_utilization(target_utilization_percent=scaling.target_utilization)
        return table

    def _index_props(self, name: str, index: IndexSpec, provisioned: bool) -> dict[str, Any]:
        props: dict[str, Any] = {
            "index_name": name,
            "partition_key": _attr(index.partition_key),
            "projection_type": _PROJECTIONS[index.projection],
        }
        if index.sort_key is not None:
            props["sort_key"] = _attr(index.sort_key)
        if index.projection == "include":
            props["non_key_attributes"] = list(index.non_key_attributes)
        if provisioned:
            props["read_capacity"] = index.read_capacity or 5
            props["write_capacity"] = index.write_capacity or 5
        return props

    def _global_table(self, key: str, spec: TableSpec, table_key: kms.IKey | None) -> dynamodb.TableV2:
        stack = cdk.Stack.of(self)
        if spec.billing == "provisioned":
            scaling = spec.auto_scaling
            if scaling is not None:
                write = dynamodb.Capacity.autoscaled(
                    min_capacity=scaling.min_capacity,
                    max_capacity=scaling.max_capacity,
                    target_utilization_percent=scaling.target_utilization,
                )
                read = write
            else:
                read = dynamodb.Capacity.fixed(spec.read_capacity)
                # Global tables scale writes; without auto scaling the range is pinned to the spec's capacity.
                write = dynamodb.Capacity.autoscaled(
                    min_capacity=spec.write_capacity, max_capacity=spec.write_capacity
                )
            billing = dynamodb.Billing.provisioned(read_capacity=read, write_capacity=write)
        else:
            billing = dynamodb.Billing.on_demand()
        if spec.encryption == "customer_managed":
            assert table_key is not None and spec.kms_key is not None
            alias_name = kms_alias(self.ctx.spec, spec.kms_key).removeprefix("alias/")
            replica_keys = {
                region: stack.format_arn(
                    service="kms",
                    region=region,
                    resource="alias",
                    resource_name=alias_name,
                    arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
                )
                for region in spec.replicas
            }
            encryption = dynamodb.TableEncryptionV2.customer_managed_key(
                table_key, replica_key_arns=replica_keys
            )
        else:
            encryption = dynamodb.TableEncryptionV2.aws_managed_key()
        indexes = [
            dynamodb.GlobalSecondaryIndexPropsV2(**self._index_props(n, i, False))
            for n, i in spec.indexes.items()
        ]
        return dynamodb.TableV2(
            self,
            f"Table-{key}",
            table_name=self.ctx.name(key, "tables"),
            partition_key=_attr(spec.partition_key),
            sort_key=_attr(spec.sort_key) if spec.sort_key else None,
            billing=billing,
            encryption=encryption,
            dynamo_stream=_STREAM_VIEWS[spec.stream.view] if spec.stream else None,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=spec.point_in_time_recovery,
                recovery_period_in_days=PITR_RECOVERY_DAYS if spec.point_in_time_recovery else None,
            ),
            time_to_live_attribute=spec.ttl_attribute,
            deletion_protection=spec.deletion_protection,
            table_class=dynamodb.TableClass(spec.table_class),
            global_secondary_indexes=indexes or None,
            replicas=[
                dynamodb.ReplicaTableProps(region=r, deletion_protection=spec.deletion_protection)
                for r in spec.replicas
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )


class BucketsConstruct(Construct):
    """The buckets named in ``bucket_keys``, each with its spec's encryption, public access block,
    versioning, lifecycle, Intelligent-Tiering, access logging and prefix-scoped policy.

    Policy statements whose principal is not known yet (function roles, the CloudFront distribution)
    are added with :meth:`add_policies` once those exist.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        keys: Mapping[str, kms.IKey],
        bucket_keys: list[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        self.buckets: dict[str, s3.Bucket] = {}
        for key in bucket_keys:
            self.buckets[key] = self._bucket(key, ctx.spec.buckets[key], keys)
        # S3 checks the log destination's policy when logging is turned on: the destination (referenced by
        # name, which need not be a reference CloudFormation can order by) and its policy come first.
        for key in bucket_keys:
            target = self.buckets.get(ctx.spec.buckets[key].access_logs_bucket or "")
            if target is not None and target.policy is not None:
                self.buckets[key].node.add_dependency(target.policy)

    def _bucket(self, key: str, spec: BucketSpec, keys: Mapping[str, kms.IKey]) -> s3.Bucket:
        ctx = self.ctx
        name = ctx.name(key, "buckets")
        logs_target = None
        if spec.access_logs_bucket is not None:
            logs_target = s3.Bucket.from_bucket_name(
                self, f"LogsTarget-{key}", ctx.name(spec.access_logs_bucket, "buckets")
            )
        block = (
            s3.BlockPublicAccess.BLOCK_ALL
            if spec.block_public_access
            else s3.BlockPublicAccess(
                block_public_acls=False,
                block_public_policy=False,
                ignore_public_acls=False,
                restrict_public_buckets=False,
            )
        )
        bucket = s3.Bucket(
            self,
            f"Bucket-{key}",
            bucket_name=name,
            versioned=spec.versioning,
            encryption=s3.BucketEncryption.KMS
            if spec.encryption == "kms"
            else s3.BucketEncryption.S3_MANAGED,
            encryption_key=keys[spec.kms_key] if spec.encryption == "kms" and spec.kms_key else None,
            bucket_key_enabled=True if spec.encryption == "kms" else None,
            block_public_access=block,
            object_ownership=s3.ObjectOwnership(_OWNERSHIP[spec.object_ownership]),
            enforce_ssl=False,  # the TLS-only statements are added explicitly below
            server_access_logs_bucket=logs_target,
            server_access_logs_prefix=f"s3/{name}/" if logs_target is not None else None,
            lifecycle_rules=[_lifecycle(rule) for rule in spec.lifecycle] or None,
            intelligent_tiering_configurations=[
                s3.IntelligentTieringConfiguration(
                    name=f"{key}-archive-tiers",
                    prefix=spec.intelligent_tiering.prefix or None,
                    archive_access_tier_time=_days(spec.intelligent_tiering.archive_access_days),
                    deep_archive_access_tier_time=_days(spec.intelligent_tiering.deep_archive_access_days),
                )
            ]
            if spec.intelligent_tiering.enabled
            else None,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        ctx.own(f"buckets.{key}", bucket)
        if logs_target is not None:
            # The target is looked up by name, so CDK cannot extend its policy; the logs bucket's own policy
            # already lets logging.s3.amazonaws.com write (see the S3ServerAccessLogs statement).
            cdk.Annotations.of(bucket).acknowledge_warning(
                "@aws-cdk/aws-s3:accessLogsPolicyNotAdded",
                "the target bucket's policy grants log delivery itself",
            )
        if spec.enforce_tls:
            everything = [bucket.bucket_arn, bucket.arn_for_objects("*")]
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="DenyInsecureTransport",
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["s3:*"],
                    resources=everything,
                    conditions={"Bool": {"aws:SecureTransport": "false"}},
                )
            )
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="DenyOutdatedTls",
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["s3:*"],
                    resources=everything,
                    conditions={"NumericLessThan": {"s3:TlsVersion": ctx.spec.security.data.tls_minimum}},
                )
            )
        sources = [b for b, other in ctx.spec.buckets.items() if other.access_logs_bucket == key]
        if sources:
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="S3ServerAccessLogs",
                    principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
                    actions=["s3:PutObject"],
                    resources=[bucket.arn_for_objects("s3/*")],
                    conditions={
                        "ArnLike": {"aws:SourceArn": [bucket_arn(ctx.name(b, "buckets")) for b in sources]},
                        "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID},
                    },
                )
            )
            if spec.access_logs_bucket is None:
                # cdk-nag exempts a log destination only when it can match the names, not through the
                # account token a name pattern with {account} puts in them.
                acknowledge(
                    bucket,
                    "AwsSolutions-S1",
                    f"buckets.{key} is the server access log destination of "
                    + ", ".join(f"buckets.{b}" for b in sources)
                    + "; logging it into itself would loop",
                )
        return bucket

    def add_policies(
        self, principals: Mapping[str, iam.IPrincipal], cloudfront_source_arn: str | None = None
    ) -> None:
        """Add each bucket's spec policy statements, scoped to their prefix.

        ``principals`` maps ``functions.<name>`` and ``roles.<name>`` to IAM principals; the
        ``cloudfront`` principal is the CloudFront service limited to ``cloudfront_source_arn``
        (the distribution, via origin access control).
        """
        for key, bucket in self.buckets.items():
            for statement in self.ctx.spec.buckets[key].policies:
                resources = [bucket.arn_for_objects(object_resource_suffix(statement.prefix))]
                actions = bucket_object_actions(statement.access)
                if statement.principal == "cloudfront":
                    assert cloudfront_source_arn is not None, "cloudfront statements need the distribution"
                    principal: iam.IPrincipal = iam.ServicePrincipal("cloudfront.amazonaws.com")
                    conditions: dict[str, Any] | None = {
                        "StringEquals": {"AWS:SourceArn": cloudfront_source_arn}
                    }
                else:
                    principal, conditions = principals[statement.principal], None
                bucket.add_to_resource_policy(
                    iam.PolicyStatement(
                        sid=statement.sid,
                        principals=[principal],
                        actions=actions,
                        resources=resources,
                        conditions=conditions,
                    )
                )


_OWNERSHIP = {
    "BucketOwnerEnforced": "BUCKET_OWNER_ENFORCED",
    "ObjectWriter": "OBJECT_WRITER",
    "BucketOwnerPreferred": "BUCKET_OWNER_PREFERRED",
}


def _days(days: int | None) -> cdk.Duration | None:
    return cdk.Duration.days(days) if days is not None else None


def _lifecycle(rule: Any) -> s3.LifecycleRule:
    return s3.LifecycleRule(
        id=rule.id,
        enabled=True,
        prefix=rule.prefix or None,
        transitions=[
            s3.Transition(
                storage_class=_STORAGE_CLASSES[t.storage_class], transition_after=cdk.Duration.days(t.days)
            )
            for t in rule.transitions
        ]
        or None,
        expiration=_days(rule.expiration_days),
        noncurrent_version_expiration=_days(rule.noncurrent_expiration_days),
        abort_incomplete_multipart_upload_after=_days(rule.abort_incomplete_multipart_days),
    )


class DatabaseConstruct(Construct):
    """The optional RDS instance in its subnet group over the private subnets: encrypted with the spec's
    key, credentials from the spec's secret, IAM authentication, log exports, backups.

    Exposes ``instance``, ``secret`` (the credentials) and ``secret_key`` (its spec key; ``db_credentials``
    for a generated one) for the functions that use it.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        vpc: ec2.IVpc,
        subnets: ec2.SubnetSelection,
        security_groups: Mapping[str, ec2.ISecurityGroup],
        keys: Mapping[str, kms.IKey],
        secrets: Mapping[str, secretsmanager.ISecret],
    ) -> None:
        super().__init__(scope, construct_id)
        spec = ctx.spec.rds
        if spec.engine == "postgres":
            major = spec.engine_version.split(".")[0]
            engine = rds.DatabaseInstanceEngine.postgres(
                version=rds.PostgresEngineVersion.of(spec.engine_version, major)
            )
        else:
            major = ".".join(spec.engine_version.split(".")[:2])
            engine = rds.DatabaseInstanceEngine.mysql(
                version=rds.MysqlEngineVersion.of(spec.engine_version, major)
            )
        self.secret_key = database_secret_key(ctx.spec)
        if spec.credentials_secret:
            credentials = rds.Credentials.from_secret(secrets[spec.credentials_secret], spec.master_username)
        else:
            credentials = rds.Credentials.from_generated_secret(
                spec.master_username,
                secret_name=ctx.name(self.secret_key, "secrets"),
                encryption_key=keys[spec.kms_key] if spec.kms_key else None,
                exclude_characters=" %+~`#$&*()|[]{}:;<>?!'/@\"\\",
            )
        subnet_group = rds.SubnetGroup(
            self,
            "SubnetGroup",
            subnet_group_name=ctx.name("db"),
            description=f"Private subnets of {ctx.name('db')}",
            vpc=vpc,
            vpc_subnets=subnets,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        ctx.own("rds.subnet_group", subnet_group)
        storage = {
            "gp3": rds.StorageType.GP3,
            "gp2": rds.StorageType.GP2,
            "io1": rds.StorageType.IO1,
            "io2": rds.StorageType.IO2,
        }[spec.storage_type]
        parameters = None
        if spec.require_tls:
            name, value = TLS_PARAMETERS[spec.engine]
            parameters = rds.ParameterGroup(
                self,
                "Parameters",
                engine=engine,
                name=database_parameter_group_name(ctx.spec),
                description=f"Parameters of {ctx.name('db')}: TLS required",
                parameters={name: value},
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            ctx.own("rds", parameters)
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            instance_identifier=ctx.name("db"),
            engine=engine,
            instance_type=ec2.InstanceType(spec.instance_class.removeprefix("db.")),
            vpc=vpc,
            subnet_group=subnet_group,
            security_groups=[security_groups[spec.security_group]] if spec.security_group else None,
            port=spec.effective_port(),
            database_name=spec.database_name,
            multi_az=spec.multi_az,
            allocated_storage=spec.allocated_storage_gb,
            storage_type=storage,
            storage_encrypted=True,
            storage_encryption_key=keys[spec.kms_key] if spec.kms_key else None,
            credentials=credentials,
            backup_retention=cdk.Duration.days(spec.backup_retention_days),
            copy_tags_to_snapshot=True,
            delete_automated_backups=False,
            deletion_protection=spec.deletion_protection,
            publicly_accessible=False,
            iam_authentication=spec.iam_authentication,
            auto_minor_version_upgrade=spec.auto_minor_version_upgrade,
            cloudwatch_logs_exports=spec.log_exports(),
            parameter_group=parameters,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT,
        )
        ctx.own("rds", self.instance)
        secret = self.instance.secret
        assert secret is not None, "credentials always come from a secret"
        self.secret: secretsmanager.ISecret = secret
        if not spec.credentials_secret:
            generated = self.instance.node.try_find_child("Secret")  # the DatabaseSecret CDK generated
            assert generated is not None
            ctx.own("rds.credentials", generated)
