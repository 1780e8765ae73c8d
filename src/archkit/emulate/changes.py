"""Changes made behind the spec's back to an emulated account (`archkit emulate --change NAME`): each one is
what someone with console access might do, and each gives verify one real finding to report.

Every change acts on a resource found by its physical name (``spec.name_of``), so it works on any account
deployed from the spec, and each has its undo (tests revert a change instead of deploying again).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archkit.emulate.account import Account
from archkit.spec import ArchSpec
from archkit.spec.conventions import stream_failure_queue_name, stream_failure_tables


class ChangeNotApplicable(ValueError):
    """The spec has nothing the change could act on (e.g. `rds-public` without `rds.enabled`)."""


Action = Callable[[Account, ArchSpec], None]


@dataclass(frozen=True)
class Change:
    name: str
    description: str
    apply: Action
    revert: Action


def _first(keys: Any, what: str) -> str:
    for key in keys:
        return str(key)
    raise ChangeNotApplicable(f"the spec has no {what}")


# --- resource policies -------------------------------------------------------------------------------------

PUBLIC_SID = "PublicAccess"
"""Sid of the statement for everyone the policy changes add (and their undo removes)."""


def _with_public_statement(policy: str | None, statement: dict[str, Any]) -> str:
    doc = json.loads(policy) if policy else {"Version": "2012-10-17", "Statement": []}
    doc["Statement"] = [
        *_without_public(doc),
        {"Sid": PUBLIC_SID, "Effect": "Allow", "Principal": "*", **statement},
    ]
    return json.dumps(doc)


def _without_public(doc: dict[str, Any]) -> list[dict[str, Any]]:
    statements = doc.get("Statement", [])
    return [
        st
        for st in ([statements] if isinstance(statements, dict) else statements)
        if st.get("Sid") != PUBLIC_SID
    ]


# --- DynamoDB ----------------------------------------------------------------------------------------------


def _pitr(enabled: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        a.client("dynamodb").update_continuous_backups(
            TableName=spec.name_of(_first(spec.tables, "table"), "tables"),
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled},
        )

    return run


def _table_owner_tag(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        ddb = a.client("dynamodb")
        arn = ddb.describe_table(TableName=spec.name_of(_first(spec.tables, "table"), "tables"))["Table"][
            "TableArn"
        ]
        if present:
            ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "Owner", "Value": spec.owner}])
        else:
            ddb.untag_resource(ResourceArn=arn, TagKeys=["Owner"])

    return run


def _table_deletion_protection(enabled: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        a.client("dynamodb").update_table(
            TableName=spec.name_of(_first(spec.tables, "table")), DeletionProtectionEnabled=enabled
        )

    return run


# --- SQS ---------------------------------------------------------------------------------------------------


def _queue_public(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        sqs = a.client("sqs")
        name = stream_failure_queue_name(spec, _first(stream_failure_tables(spec), "stream-failure queue"))
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy", "QueueArn"])["Attributes"]
        if public:
            policy = _with_public_statement(
                attrs.get("Policy"),
                {"Action": ["sqs:ReceiveMessage", "sqs:SendMessage"], "Resource": attrs["QueueArn"]},
            )
        else:
            doc = json.loads(attrs.get("Policy") or "{}")
            policy = json.dumps({**doc, "Statement": _without_public(doc)})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})

    return run


# --- Lambda ------------------------------------------------------------------------------------------------


def _function_public(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        name = spec.name_of(_first(spec.functions, "function"))
        if public:
            a.client("lambda").add_permission(
                FunctionName=name, StatementId=PUBLIC_SID, Action="lambda:InvokeFunction", Principal="*"
            )
        else:
            a.client("lambda").remove_permission(FunctionName=name, StatementId=PUBLIC_SID)

    return run


def _memory(factor: int) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.functions, "function")
        a.client("lambda").update_function_configuration(
            FunctionName=spec.name_of(key, "functions"), MemorySize=spec.functions[key].memory * factor
        )

    return run


def _log_retention(days: int | None) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.functions, "function")
        group = f"/aws/lambda/{spec.name_of(key, 'functions')}"
        a.client("logs").put_retention_policy(
            logGroupName=group, retentionInDays=days or spec.functions[key].log_retention_days
        )

    return run


# --- S3 ----------------------------------------------------------------------------------------------------

_BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _public_access_block(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        bucket = spec.name_of(_first(spec.buckets, "bucket"), "buckets")
        if present:
            a.client("s3").put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=_BLOCK_ALL)
        else:
            a.client("s3").delete_public_access_block(Bucket=bucket)

    return run


def _versioning(status: str) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        a.client("s3").put_bucket_versioning(
            Bucket=spec.name_of(_first(spec.buckets, "bucket"), "buckets"),
            VersioningConfiguration={"Status": status},
        )

    return run


def _bucket_public_read(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        s3 = a.client("s3")
        bucket = spec.name_of(_first(spec.buckets, "bucket"))
        try:
            current: str | None = s3.get_bucket_policy(Bucket=bucket)["Policy"]
        except s3.exceptions.ClientError as exc:
            if exc.response["Error"]["Code"] != "NoSuchBucketPolicy":
                raise
            current = None
        if public:
            statement = {"Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
            s3.put_bucket_policy(Bucket=bucket, Policy=_with_public_statement(current, statement))
            return
        doc = json.loads(current or "{}")
        kept = _without_public(doc)
        if kept:
            s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({**doc, "Statement": kept}))
        else:
            s3.delete_bucket_policy(Bucket=bucket)

    return run


# --- Secrets Manager, KMS ----------------------------------------------------------------------------------


def _secret_public(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        sm = a.client("secretsmanager")
        secret = spec.name_of(_first(spec.secrets, "secret"))
        current = sm.get_resource_policy(SecretId=secret).get("ResourcePolicy")
        if public:
            policy = _with_public_statement(
                current, {"Action": "secretsmanager:GetSecretValue", "Resource": "*"}
            )
            sm.put_resource_policy(SecretId=secret, ResourcePolicy=policy, BlockPublicPolicy=False)
            return
        doc = json.loads(current or "{}")
        kept = _without_public(doc)
        if kept:
            sm.put_resource_policy(SecretId=secret, ResourcePolicy=json.dumps({**doc, "Statement": kept}))
        else:
            sm.delete_resource_policy(SecretId=secret)

    return run


def _rotated_secret(spec: ArchSpec) -> str:
    return _first((k for k, s in spec.secrets.items() if s.rotation), "secret with rotation")


def _rotation_off(a: Account, spec: ArchSpec) -> None:
    a.client("secretsmanager").cancel_rotate_secret(SecretId=spec.name_of(_rotated_secret(spec), "secrets"))


def _rotation_on(a: Account, spec: ArchSpec) -> None:
    key = _rotated_secret(spec)
    rotation = spec.secrets[key].rotation
    assert rotation is not None
    sm = a.client("secretsmanager")
    function = a.client("lambda").get_function(FunctionName=spec.name_of(rotation.function, "functions"))
    sm.rotate_secret(
        SecretId=spec.name_of(key, "secrets"),
        RotationLambdaARN=function["Configuration"]["FunctionArn"],
        RotationRules={"AutomaticallyAfterDays": rotation.days},
        RotateImmediately=False,
    )


def _kms_rotation(enabled: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        from archkit.spec.naming import kms_alias

        kms = a.client("kms")
        alias = kms_alias(spec, _first(spec.security.kms_keys, "KMS key"))
        key_id = kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"]
        (kms.enable_key_rotation if enabled else kms.disable_key_rotation)(KeyId=key_id)

    return run


# --- EC2 ---------------------------------------------------------------------------------------------------

SSH_FROM_ANYWHERE = {
    "IpProtocol": "tcp",
    "FromPort": 22,
    "ToPort": 22,
    "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "debug"}],
}


def _ssh(opened: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.network.security_groups, "security group")
        ec2 = a.client("ec2")
        groups = ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": [spec.name_of(key)]}]
        )["SecurityGroups"]
        if not groups:
            raise ChangeNotApplicable(f"no security group {spec.name_of(key)} in the account")
        call = ec2.authorize_security_group_ingress if opened else ec2.revoke_security_group_ingress
        call(GroupId=groups[0]["GroupId"], IpPermissions=[SSH_FROM_ANYWHERE])

    return run


# --- RDS ---------------------------------------------------------------------------------------------------


def _rds_public(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        if not spec.rds.enabled:
            raise ChangeNotApplicable("the spec has no database (rds.enabled is false)")
        a.client("rds").modify_db_instance(
            DBInstanceIdentifier=spec.name_of("db"), PubliclyAccessible=public, ApplyImmediately=True
        )

    return run


CHANGES: dict[str, Change] = {
    c.name: c
    for c in (
        Change(
            "pitr-off",
            "point-in-time recovery of the first table turned off",
            _pitr(False),
            _pitr(True),
        ),
        Change(
            "tag-removed",
            "the Owner cost-allocation tag removed from the first table",
            _table_owner_tag(False),
            _table_owner_tag(True),
        ),
        Change("memory", "the first function's memory doubled", _memory(2), _memory(1)),
        Change(
            "log-retention",
            "the first function's log retention cut to 7 days",
            _log_retention(7),
            _log_retention(None),
        ),
        Change(
            "public-access-block",
            "the first bucket's public access block deleted",
            _public_access_block(False),
            _public_access_block(True),
        ),
        Change(
            "versioning-suspended",
            "versioning of the first bucket suspended",
            _versioning("Suspended"),
            _versioning("Enabled"),
        ),
        Change(
            "rotation-off",
            "rotation of the first rotated secret cancelled",
            _rotation_off,
            _rotation_on,
        ),
        Change(
            "kms-rotation-off",
            "key rotation of the first KMS key turned off",
            _kms_rotation(False),
            _kms_rotation(True),
        ),
        Change(
            "ssh-opened",
            "SSH from anywhere (0.0.0.0/0) allowed into the first security group",
            _ssh(True),
            _ssh(False),
        ),
        Change(
            "rds-public",
            "the database made publicly accessible",
            _rds_public(True),
            _rds_public(False),
        ),
        Change(
            "table-deletion-protection-off",
            "deletion protection of the first table turned off",
            _table_deletion_protection(False),
            _table_deletion_protection(True),
        ),
        Change(
            "function-public",
            "the first function made invocable by everyone (a permission for Principal *)",
            _function_public(True),
            _function_public(False),
        ),
        Change(
            "queue-public",
            "a statement for everyone added to the first stream-failure queue's policy",
            _queue_public(True),
            _queue_public(False),
        ),
        Change(
            "secret-public",
            "a statement for everyone added to the first secret's resource policy",
            _secret_public(True),
            _secret_public(False),
        ),
        Change(
            "bucket-public-read",
            "a public-read statement (Principal *, s3:GetObject) added to the first bucket's policy",
            _bucket_public_read(True),
            _bucket_public_read(False),
        ),
    )
}
"""Name -> change made behind the spec's back (`archkit emulate --change list` prints them)."""
