"""Events domain: SQS queues (encrypted, each with its dead-letter queue), SNS topics (encrypted, TLS only)
and their subscriptions, EventBridge schedules and rules, S3 event notifications, and on functions the queue
event sources, asynchronous invoke configuration and provisioned concurrency.

Every grant is the least one CDK's integration gives: a trigger may consume its queue, a failure destination
may receive, a rule or notification may send to its target. All of it lives in the application stack beside
the functions (the data stack's buckets are referenced by name, so nothing points back into the data stack).

Resource types it emits: AWS::SQS::Queue, AWS::SQS::QueuePolicy, AWS::SNS::Topic, AWS::SNS::TopicPolicy,
AWS::SNS::Subscription, AWS::Events::Rule, AWS::Lambda::EventSourceMapping, AWS::Lambda::EventInvokeConfig,
AWS::Lambda::Version, AWS::Lambda::Alias, AWS::Lambda::Permission, and CDK's Custom::S3BucketNotifications
(with its handler function).
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from archkit.cdk.context import BuildContext
from archkit.spec.conventions import (
    AWS_MANAGED_SNS_KEY,
    DEAD_LETTER_VISIBILITY_TIMEOUT,
    NOTIFICATIONS_HANDLER,
    PROVISIONED_ALIAS,
    dead_letter_path,
    dead_letter_queue_name,
)
from archkit.spec.events import S3_EVENTS, QueueSpec
from archkit.spec.naming import ID_TAG, cost_tags

_LAMBDA_BASIC_EXECUTION = "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


class EventsConstruct(Construct):
    """Queues, topics, schedules, rules and notifications of the spec; the functions' event sources.

    Exposes ``queues``, ``topics`` and ``targets`` (the invocable of each function: its ``live`` alias when
    it has provisioned concurrency) by spec key.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        keys: Mapping[str, kms.IKey],
        functions: Mapping[str, lambda_.Function],
    ) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        spec = ctx.spec
        self.keys = keys
        self.queues: dict[str, sqs.Queue] = {
            key: self._queue(key, queue) for key, queue in spec.queues.items()
        }
        self.topics: dict[str, sns.Topic] = {key: self._topic(key) for key in spec.topics}
        self.targets: dict[str, lambda_.IFunction] = {}
        for key, fn in spec.functions.items():
            function = functions[key]
            self.targets[key] = function
            if fn.provisioned_concurrency is not None:
                alias = lambda_.Alias(
                    function,
                    "Live",
                    alias_name=PROVISIONED_ALIAS,
                    version=function.current_version,
                    provisioned_concurrent_executions=fn.provisioned_concurrency,
                )
                self.targets[key] = alias
        for key, topic_spec in spec.topics.items():
            for sub in topic_spec.subscriptions:
                self.topics[key].add_subscription(self._subscription(sub.target()))
        for key in spec.functions:
            self._function(key)
        for group in ("schedules", "event_rules"):
            for key in getattr(spec, group):
                self._rule(group, key)
        for key, bucket in spec.buckets.items():
            if bucket.notifications:
                self._notifications(key)

    # --- queues and topics -----------------------------------------------------------------------------
    def _encryption(self, encryption: str, kms_key: str | None) -> dict[str, object]:
        if encryption == "kms":
            assert kms_key is not None, "required by the spec validation"
            return {"encryption": sqs.QueueEncryption.KMS, "encryption_master_key": self.keys[kms_key]}
        return {"encryption": sqs.QueueEncryption.SQS_MANAGED}

    def _queue(self, key: str, spec: QueueSpec) -> sqs.Queue:
        ctx = self.ctx
        encryption = self._encryption(spec.encryption, spec.kms_key)
        dead_letter = None
        if spec.dead_letter is not None:
            dlq = sqs.Queue(
                self,
                f"DeadLetter-{key}",
                queue_name=dead_letter_queue_name(ctx.spec, key),
                visibility_timeout=cdk.Duration.seconds(DEAD_LETTER_VISIBILITY_TIMEOUT),
                retention_period=cdk.Duration.days(spec.dead_letter.retention_days),
                enforce_ssl=True,
                removal_policy=cdk.RemovalPolicy.RETAIN,
                **encryption,  # type: ignore[arg-type]
            )
            ctx.own(dead_letter_path(key), dlq)
            cdk.Validations.of(dlq).acknowledge(
                cdk.Acknowledgment(
                    id="AwsSolutions-SQS3",
                    reason=f"The dead-letter queue of queues.{key}; the messages it holds wait for review",
                )
            )
            dead_letter = sqs.DeadLetterQueue(max_receive_count=spec.dead_letter.max_receive_count, queue=dlq)
        queue = sqs.Queue(
            self,
            f"Queue-{key}",
            queue_name=ctx.name(key),
            visibility_timeout=cdk.Duration.seconds(spec.visibility_timeout),
            retention_period=cdk.Duration.days(spec.retention_days),
            dead_letter_queue=dead_letter,
            enforce_ssl=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            **encryption,  # type: ignore[arg-type]
        )
        ctx.own(f"queues.{key}", queue)
        return queue

    def _topic(self, key: str) -> sns.Topic:
        ctx = self.ctx
        spec = ctx.spec.topics[key]
        if spec.encryption == "kms":
            assert spec.kms_key is not None, "required by the spec validation"
            master_key: kms.IKey = self.keys[spec.kms_key]
        else:
            master_key = kms.Alias.from_alias_name(self, f"SnsKey-{key}", AWS_MANAGED_SNS_KEY)
        topic = sns.Topic(
            self,
            f"Topic-{key}",
            topic_name=ctx.name(key),
            display_name=spec.description[:100] or None,
            master_key=master_key,
            enforce_ssl=True,
        )
        ctx.own(f"topics.{key}", topic)
        return topic

    def _subscription(self, target: tuple[str, str]) -> sns.ITopicSubscription:
        protocol, endpoint = target
        if protocol == "email":
            return subscriptions.EmailSubscription(endpoint)
        key = endpoint.split(".", 1)[1]
        if protocol == "sqs":
            return subscriptions.SqsSubscription(self.queues[key], raw_message_delivery=False)
        return subscriptions.LambdaSubscription(self.targets[key])

    def _destination(self, path: str) -> tuple[str, str]:
        kind, _, key = path.partition(".")
        return kind, key

    # --- functions -------------------------------------------------------------------------------------
    def _function(self, key: str) -> None:
        fn = self.ctx.spec.functions[key]
        target = self.targets[key]
        for trigger in fn.triggers:
            source = sources.SqsEventSource(
                self.queues[trigger.queue],
                batch_size=trigger.batch_size,
                max_batching_window=(
                    cdk.Duration.seconds(trigger.batching_window) if trigger.batching_window else None
                ),
                report_batch_item_failures=trigger.report_failures,
                enabled=trigger.enabled,
            )
            target.add_event_source(source)
        if fn.async_invoke is not None:
            on_failure: lambda_.IDestination | None = None
            if fn.async_invoke.on_failure is not None:
                kind, name = self._destination(fn.async_invoke.on_failure.target_path())
                on_failure = (
                    destinations.SqsDestination(self.queues[name])
                    if kind == "queues"
                    else destinations.SnsDestination(self.topics[name])
                )
                if self._encrypted_by_key(fn.async_invoke.on_failure.target_path()):
                    role = target.role
                    assert role is not None
                    cdk.Validations.of(role).acknowledge(
                        cdk.Acknowledgment(
                            id="AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
                            reason=(
                                "Sending to a destination encrypted with a customer key needs a data key of "
                                "that one key; the action family is KMS's, the resource is the key"
                            ),
                        )
                    )
            target.configure_async_invoke(
                retry_attempts=fn.async_invoke.retries,
                max_event_age=cdk.Duration.seconds(fn.async_invoke.max_event_age),
                on_failure=on_failure,
            )

    def _encrypted_by_key(self, path: str) -> bool:
        kind, key = self._destination(path)
        entry = self.ctx.spec.queues[key] if kind == "queues" else self.ctx.spec.topics[key]
        return entry.encryption == "kms"

    # --- EventBridge -----------------------------------------------------------------------------------
    def _rule(self, group: str, key: str) -> None:
        ctx = self.ctx
        entry = getattr(ctx.spec, group)[key]
        kind, name = self._destination(entry.target_path())
        target: events.IRuleTarget = (
            targets.LambdaFunction(self.targets[name])
            if kind == "functions"
            else targets.SqsQueue(self.queues[name])
        )
        if group == "schedules":
            rule = events.Rule(
                self,
                f"Schedule-{key}",
                rule_name=ctx.name(key),
                description=entry.description or None,
                schedule=events.Schedule.expression(entry.expression),
                enabled=entry.enabled,
                targets=[target],
            )
        else:
            rule = events.Rule(
                self,
                f"Rule-{key}",
                rule_name=ctx.name(key),
                description=entry.description or None,
                # Replaced below by the spec's pattern as written (CDK's EventPattern renames its keys).
                event_pattern=events.EventPattern(source=["archkit"]),
                enabled=entry.enabled,
                targets=[target],
            )
            cfn = rule.node.default_child
            assert isinstance(cfn, events.CfnRule)
            cfn.add_property_override("EventPattern", entry.pattern)
        ctx.own(f"{group}.{key}", rule)

    # --- S3 ---------------------------------------------------------------------------------------------
    def _notifications(self, key: str) -> None:
        ctx = self.ctx
        # By name: the bucket lives in the data stack, which must not depend on the functions' stack.
        bucket = s3.Bucket.from_bucket_name(self, f"Bucket-{key}", ctx.name(key))
        for note in ctx.spec.buckets[key].notifications:
            kind, name = self._destination(note.target_path())
            dest: s3.IBucketNotificationDestination
            if kind == "functions":
                dest = s3n.LambdaDestination(self.targets[name])
            elif kind == "queues":
                dest = s3n.SqsDestination(self.queues[name])
            else:
                dest = s3n.SnsDestination(self.topics[name])
            filters = s3.NotificationKeyFilter(prefix=note.prefix or None, suffix=note.suffix or None)
            for event in note.events:
                # `s3:ObjectCreated:*` -> OBJECT_CREATED: CDK's enum names the same event types.
                member = S3_EVENTS[event].split(":")[1].replace("Object", "OBJECT_").upper()
                bucket.add_event_notification(s3.EventType[member], dest, filters)
        self._machinery()

    def _machinery(self) -> None:
        """CDK's notification handler (one per stack) is deployment machinery, not part of the system: it
        carries none of the system's tags, so verify neither expects it nor reports it as unmanaged."""
        handler = cdk.Stack.of(self).node.try_find_child(NOTIFICATIONS_HANDLER)
        if handler is None or getattr(self, "_handled", False):
            return
        self._handled = True
        for tag in (*cost_tags(self.ctx.spec), ID_TAG):
            cdk.Tags.of(handler).remove(tag)
        why = (
            "CDK's bucket-notifications handler applies the notification configuration at deploy time; "
            "S3 has no resource-level permission for PutBucketNotification on a bucket named by another "
            "stack, and the handler writes its logs through the AWS-managed basic execution policy"
        )
        for finding in (
            f"AwsSolutions-IAM4[Policy::{_LAMBDA_BASIC_EXECUTION}]",
            "AwsSolutions-IAM5[Resource::*]",
        ):
            cdk.Validations.of(handler).acknowledge(cdk.Acknowledgment(id=finding, reason=why))
