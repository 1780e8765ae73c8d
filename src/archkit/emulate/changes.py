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


def _set_queue_attributes(a: Account, url: str, attributes: dict[str, str]) -> None:
    """SetQueueAttributes that keeps the queue policy: moto drops a policy the call does not repeat (AWS keeps
    it), which would leave a second change behind."""
    sqs = a.client("sqs")
    if "Policy" not in attributes:
        policy = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"].get("Policy")
        attributes = {**attributes, **({"Policy": policy} if policy else {})}
    sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)


def _public_queue_name(spec: ArchSpec) -> str:
    """The queue a public statement goes to: a table's stream-failure queue, else the spec's first queue."""
    tables = stream_failure_tables(spec)
    if tables:
        return stream_failure_queue_name(spec, tables[0])
    return spec.name_of(_first(spec.queues, "queue"))


def _queue_public(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        sqs = a.client("sqs")
        url = sqs.get_queue_url(QueueName=_public_queue_name(spec))["QueueUrl"]
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


# --- Events ------------------------------------------------------------------------------------------------


def _first_queue(spec: ArchSpec) -> str:
    return _first(spec.queues, "queue")


def _queue_url(a: Account, spec: ArchSpec, key: str) -> str:
    return str(a.client("sqs").get_queue_url(QueueName=spec.name_of(key))["QueueUrl"])


def _visibility(factor: int) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first_queue(spec)
        _set_queue_attributes(
            a,
            _queue_url(a, spec, key),
            {"VisibilityTimeout": str(spec.queues[key].visibility_timeout * factor)},
        )

    return run


def _redrive(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        import json

        key = next((k for k, q in spec.queues.items() if q.dead_letter is not None), None)
        if key is None:
            raise ChangeNotApplicable("the spec has no queue with a dead-letter queue")
        sqs = a.client("sqs")
        policy = ""
        if present:
            dead = spec.queues[key].dead_letter
            assert dead is not None
            from archkit.spec.conventions import dead_letter_queue_name

            dlq = sqs.get_queue_url(QueueName=dead_letter_queue_name(spec, key))["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            policy = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": dead.max_receive_count})
        _set_queue_attributes(a, _queue_url(a, spec, key), {"RedrivePolicy": policy})

    return run


def _topic_arn(a: Account, spec: ArchSpec, key: str) -> str:
    name = spec.name_of(key)
    for page in a.client("sns").get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            if topic["TopicArn"].rsplit(":", 1)[-1] == name:
                return str(topic["TopicArn"])
    raise ChangeNotApplicable(f"no topic {name} in the account")


def _topic_key_id(a: Account, spec: ArchSpec, key: str) -> str:
    """The KmsMasterKeyId the spec gives the topic: the customer key's ARN, or the AWS-managed alias."""
    from archkit.spec.conventions import AWS_MANAGED_SNS_KEY
    from archkit.spec.naming import kms_alias

    topic = spec.topics[key]
    if topic.encryption != "kms" or topic.kms_key is None:
        return AWS_MANAGED_SNS_KEY
    return str(a.client("kms").describe_key(KeyId=kms_alias(spec, topic.kms_key))["KeyMetadata"]["Arn"])


def _topic_encryption(on: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.topics, "topic")
        a.client("sns").set_topic_attributes(
            TopicArn=_topic_arn(a, spec, key),
            AttributeName="KmsMasterKeyId",
            AttributeValue=_topic_key_id(a, spec, key) if on else "",
        )

    return run


EXTRA_SUBSCRIBER = "someone-else@example.org"
"""The address `topic-subscriber-added` subscribes."""


def _subscriber(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        sns = a.client("sns")
        arn = _topic_arn(a, spec, _first(spec.topics, "topic"))
        if present:
            sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=EXTRA_SUBSCRIBER)
            return
        for sub in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]:
            if sub["Endpoint"] == EXTRA_SUBSCRIBER:
                sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])

    return run


def _schedule_state(enabled: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        name = spec.name_of(_first(spec.schedules, "schedule"))
        events = a.client("events")
        (events.enable_rule if enabled else events.disable_rule)(Name=name)

    return run


def _triggered(spec: ArchSpec) -> str:
    return _first((k for k, f in spec.functions.items() if f.triggers), "function with a queue trigger")


def _batch_size(factor: int) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _triggered(spec)
        lam = a.client("lambda")
        trigger = spec.functions[key].triggers[0]
        queue = a.client("sqs").get_queue_attributes(
            QueueUrl=_queue_url(a, spec, trigger.queue), AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        for mapping in lam.list_event_source_mappings(EventSourceArn=queue)["EventSourceMappings"]:
            lam.update_event_source_mapping(UUID=mapping["UUID"], BatchSize=trigger.batch_size * factor)

    return run


def _async_retries(spec_value: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        from archkit.spec.conventions import PROVISIONED_ALIAS

        key = _first((k for k, f in spec.functions.items() if f.async_invoke), "function with async_invoke")
        fn = spec.functions[key]
        assert fn.async_invoke is not None
        retries = fn.async_invoke.retries if spec_value else (0 if fn.async_invoke.retries else 2)
        where: dict[str, Any] = {"FunctionName": spec.name_of(key)}
        if fn.provisioned_concurrency:
            where["Qualifier"] = PROVISIONED_ALIAS
        lam = a.client("lambda")
        config = lam.get_function_event_invoke_config(**where)
        # Replaced whole: an update of an existing configuration does not stick in moto 5.2.
        lam.delete_function_event_invoke_config(**where)
        lam.put_function_event_invoke_config(
            **where,
            MaximumRetryAttempts=retries,
            MaximumEventAgeInSeconds=config["MaximumEventAgeInSeconds"],
            DestinationConfig=config.get("DestinationConfig") or {},
        )

    return run


def _notifications(present: bool) -> Action:
    """The first notified bucket's notification configuration emptied, or rebuilt from the spec."""

    def run(a: Account, spec: ArchSpec) -> None:
        from archkit.spec.conventions import PROVISIONED_ALIAS
        from archkit.spec.events import S3_EVENTS

        key = _first((k for k, b in spec.buckets.items() if b.notifications), "bucket with notifications")
        config: dict[str, list[dict[str, Any]]] = {}
        for note in spec.buckets[key].notifications if present else []:
            kind, _, target = note.target_path().partition(".")
            if kind == "queues":
                group, field = "QueueConfigurations", "QueueArn"
                arn = a.client("sqs").get_queue_attributes(
                    QueueUrl=_queue_url(a, spec, target), AttributeNames=["QueueArn"]
                )["Attributes"]["QueueArn"]
            elif kind == "topics":
                group, field, arn = "TopicConfigurations", "TopicArn", _topic_arn(a, spec, target)
            else:
                group, field = "LambdaFunctionConfigurations", "LambdaFunctionArn"
                arn = a.client("lambda").get_function(FunctionName=spec.name_of(target))["Configuration"][
                    "FunctionArn"
                ]
                if spec.functions[target].provisioned_concurrency:
                    arn = f"{arn}:{PROVISIONED_ALIAS}"
            rules = [
                {"Name": n, "Value": v} for n, v in (("prefix", note.prefix), ("suffix", note.suffix)) if v
            ]
            for event in note.events:
                entry: dict[str, Any] = {field: arn, "Events": [S3_EVENTS[event]]}
                if rules:
                    entry["Filter"] = {"Key": {"FilterRules": rules}}
                config.setdefault(group, []).append(entry)
        a.client("s3").put_bucket_notification_configuration(
            Bucket=spec.name_of(key), NotificationConfiguration=config
        )

    return run


# --- WAF, API domain ---------------------------------------------------------------------------------------


def _custom_rule(spec: ArchSpec, statement: str | None = None) -> tuple[Any, Any]:
    """The web ACL (regional first) and its first custom rule that blocks (and has ``statement``)."""
    from archkit.spec.waf import web_acls

    for acl in sorted(web_acls(spec), key=lambda a: a.scope != "REGIONAL"):
        for rule in acl.waf.rules if acl.waf is not None else []:
            if rule.action == "block" and (statement is None or rule.statement() == statement):
                return acl, rule
    raise ChangeNotApplicable(
        f"the spec has no blocking custom WAF rule{f' of {statement}' if statement else ''}"
    )


def _edit_rule(statement: str | None, edit: Callable[[dict[str, Any], Any], None]) -> Action:
    """Rewrite one custom rule of a deployed web ACL in place (``edit(rule, spec rule)``)."""

    def run(a: Account, spec: ArchSpec) -> None:
        from archkit.spec.conventions import GLOBAL_REGION

        acl, wanted = _custom_rule(spec, statement)
        waf = a.client("wafv2", GLOBAL_REGION if acl.scope == "CLOUDFRONT" else spec.region)
        name = spec.name_of(acl.key)
        summary = next(
            x for x in waf.list_web_acls(Scope=acl.scope, Limit=100)["WebACLs"] if x["Name"] == name
        )
        got = waf.get_web_acl(Name=name, Scope=acl.scope, Id=summary["Id"])
        web_acl = got["WebACL"]
        rules = web_acl["Rules"]
        edit(next(r for r in rules if r["Name"] == wanted.name), wanted)
        waf.update_web_acl(
            Name=name,
            Scope=acl.scope,
            Id=summary["Id"],
            DefaultAction=web_acl["DefaultAction"],
            VisibilityConfig=web_acl["VisibilityConfig"],
            Rules=rules,
            LockToken=got["LockToken"],
        )

    return run


def _rule_action(action: str | None) -> Callable[[dict[str, Any], Any], None]:
    def edit(rule: dict[str, Any], wanted: Any) -> None:
        rule["Action"] = {(action or wanted.action).capitalize(): {}}

    return edit


def _rate_limit(factor: int) -> Callable[[dict[str, Any], Any], None]:
    def edit(rule: dict[str, Any], wanted: Any) -> None:
        rule["Statement"]["RateBasedStatement"]["Limit"] = wanted.rate_limit.limit * factor

    return edit


def _base_path(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        domain = spec.api.domain
        if domain is None or not spec.api.routes:
            raise ChangeNotApplicable("the spec has no API custom domain (api.domain)")
        gw = a.client("apigateway", spec.region)
        base = domain.base_paths[0] or "(none)"
        if not present:
            gw.delete_base_path_mapping(domainName=domain.domain_name, basePath=base)
            return
        api = next(x for x in gw.get_rest_apis(limit=500)["items"] if x["name"] == spec.name_of("api"))
        kwargs = {"basePath": base} if domain.base_paths[0] else {}
        gw.create_base_path_mapping(
            domainName=domain.domain_name, restApiId=api["id"], stage=spec.api.stage, **kwargs
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
            "a statement for everyone added to a queue's policy (a table's stream-failure queue first)",
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
        Change(
            "queue-visibility",
            "the first queue's visibility timeout doubled",
            _visibility(2),
            _visibility(1),
        ),
        Change(
            "queue-redrive-removed",
            "the redrive policy (dead-letter queue) of the first queue having one removed",
            _redrive(False),
            _redrive(True),
        ),
        Change(
            "topic-unencrypted",
            "encryption of the first topic turned off",
            _topic_encryption(False),
            _topic_encryption(True),
        ),
        Change(
            "topic-subscriber-added",
            f"{EXTRA_SUBSCRIBER} subscribed to the first topic",
            _subscriber(True),
            _subscriber(False),
        ),
        Change(
            "schedule-disabled",
            "the first schedule disabled",
            _schedule_state(False),
            _schedule_state(True),
        ),
        Change(
            "trigger-batch-size",
            "the batch size of the first queue trigger doubled",
            _batch_size(2),
            _batch_size(1),
        ),
        Change(
            "async-retries",
            "the retries of the first function with an async_invoke configuration changed",
            _async_retries(False),
            _async_retries(True),
        ),
        Change(
            "notifications-removed",
            "the event notifications of the first bucket having some removed",
            _notifications(False),
            _notifications(True),
        ),
        Change(
            "waf-rule-counts",
            "the first blocking custom WAF rule (the stage's web ACL first) switched to count only",
            _edit_rule(None, _rule_action("count")),
            _edit_rule(None, _rule_action(None)),
        ),
        Change(
            "waf-rate-raised",
            "the limit of the first custom WAF rate rule raised tenfold",
            _edit_rule("rate_limit", _rate_limit(10)),
            _edit_rule("rate_limit", _rate_limit(1)),
        ),
        Change(
            "base-path-removed",
            "the first base path mapping of the API's custom domain deleted",
            _base_path(False),
            _base_path(True),
        ),
    )
}
"""Name -> change made behind the spec's back (`archkit emulate --change list` prints them)."""
