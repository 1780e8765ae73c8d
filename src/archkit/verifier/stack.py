"""`archkit generate --verifier`: the continuous verifier as a CDK app of two stacks.

- ``<project>-verifier`` (tooling account): EventBridge Scheduler starts a Step Functions state machine
  whose Map runs the Lambda worker once per target (at most the targets file's `concurrency` at once);
  the worker assumes the target's role, verifies, writes JSON/SARIF and the spec to a KMS-encrypted S3
  bucket and imports ASFF into the target's Security Hub. A failed target goes to an SQS dead-letter
  queue and an SNS topic, and the Map carries on with the others.
- ``<project>-verifier-member-role``: the read-only role of `archkit verify --print-iam-role` (the same
  template, included), to deploy in every target account (or as a StackSet from
  ``member-role.template.json``).

cdk-nag (AwsSolutions) runs during synthesis; each acknowledged finding says why here.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from aws_cdk import cloudformation_include as cfn_inc
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from archkit.io import replace_dir_atomic, write_text_atomic
from archkit.verifier import worker
from archkit.verifier.bundle import architecture, write_bundle
from archkit.verify.iam_role import role_json
from archkit.verify.targets import Targets

CDK_OUT = "cdk.out"
MEMBER_TEMPLATE = "member-role.template.json"
WORKER_TIMEOUT_MINUTES = 15
"""Lambda's limit: one target must be verified within it (docs/how-to/verify-an-organisation.md)."""
WORKER_MEMORY_MB = 1024
LOG_RETENTION = logs.RetentionDays.ONE_YEAR
REPORT_DAYS = 400
"""Reports kept a little over a year (an audit cycle), then expired."""


@dataclass(frozen=True)
class VerifierResult:
    out_dir: Path
    cdk_out: Path
    member_template: Path
    stacks: tuple[str, ...]


def _ack(scope: Construct, rule: str, reason: str) -> None:
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))


class VerifierStack(cdk.Stack):
    """The tooling account's schedule -> state machine -> worker, with its bucket, key, queue and topic."""

    def __init__(
        self, scope: Construct, name: str, *, targets: Targets, code: Path, spec_in_code: str, project: str
    ) -> None:
        super().__init__(scope, name, description=f"archkit: continuous verification of {project}")
        key = kms.Key(
            self, "Key", enable_key_rotation=True, description="archkit verifier: reports, queue, topic"
        )
        key.grant_encrypt_decrypt(iam.ServicePrincipal("sns.amazonaws.com"))

        access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(REPORT_DAYS))],
        )
        _ack(
            access_logs,
            "AwsSolutions-S1",
            "the access-log bucket of the report bucket; logging it would loop",
        )
        reports = s3.Bucket(
            self,
            "Reports",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="reports/",
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(REPORT_DAYS))],
        )
        dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        _ack(dead_letters, "AwsSolutions-SQS3", "this queue is the dead-letter queue of the verifier")
        failures = sns.Topic(
            self, "Failures", master_key=key, enforce_ssl=True, display_name="archkit verifier"
        )

        log_group = logs.LogGroup(self, "WorkerLogs", retention=LOG_RETENTION, encryption_key=key)
        key.grant_encrypt_decrypt(iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com"))
        role = iam.Role(
            self,
            "WorkerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="archkit verifier worker: assumes the targets' read-only roles, writes reports",
        )
        log_group.grant_write(role)
        reports.grant_put(role, f"{worker.REPORTS_PREFIX}/*")
        role_arns = sorted({t.role_arn for t in targets.targets})
        role.add_to_policy(iam.PolicyStatement(actions=["sts:AssumeRole"], resources=role_arns))
        reports_id = self.get_logical_id(reports.node.default_child)  # type: ignore[arg-type]
        for finding in (
            f"Resource::<{reports_id}.Arn>/{worker.REPORTS_PREFIX}/*",
            "Action::s3:Abort*",
            "Action::kms:GenerateDataKey*",
            "Action::kms:ReEncrypt*",
            "Resource::*",
        ):
            _ack(
                role,
                f"AwsSolutions-IAM5[{finding}]",
                "reports/ of its own bucket, its own key (CDK's grants), X-Ray segments (no ARN)",
            )
        function = lambda_.DockerImageFunction(
            self,
            "Worker",
            architecture=lambda_.Architecture.ARM_64
            if architecture() == "arm64"
            else lambda_.Architecture.X86_64,
            code=lambda_.DockerImageCode.from_image_asset(str(code)),
            timeout=cdk.Duration.minutes(WORKER_TIMEOUT_MINUTES),
            memory_size=WORKER_MEMORY_MB,
            role=role,
            log_group=log_group,
            environment={
                worker.ENV_SPEC: spec_in_code,
                worker.ENV_BUCKET: reports.bucket_name,
                worker.ENV_KEY: key.key_arn,
                worker.ENV_SECURITY_HUB: "true",
            },
            environment_encryption=key,
            tracing=lambda_.Tracing.ACTIVE,
        )

        notify = sfn.Parallel(self, "ReportFailure", result_path=sfn.JsonPath.DISCARD)
        notify.branch(
            tasks.SqsSendMessage(
                self,
                "ToDeadLetters",
                queue=dead_letters,
                message_body=sfn.TaskInput.from_json_path_at("$"),
            )
        )
        notify.branch(
            tasks.SnsPublish(
                self,
                "ToFailureTopic",
                topic=failures,
                subject="archkit verifier: a target failed",
                message=sfn.TaskInput.from_json_path_at("$"),
            )
        )
        verify_one = tasks.LambdaInvoke(
            self,
            "VerifyTarget",
            lambda_function=function,
            payload=sfn.TaskInput.from_object({"target.$": "$", "run_id.$": "$$.Execution.StartTime"}),
            payload_response_only=True,
            retry_on_service_exceptions=True,
        )
        verify_one.add_catch(notify, result_path="$.error")
        fan_out = sfn.Map(
            self,
            "EachTarget",
            items_path="$.targets",
            max_concurrency=targets.settings.concurrency,
            result_path=sfn.JsonPath.DISCARD,
        )
        fan_out.item_processor(verify_one)
        machine_logs = logs.LogGroup(self, "StateMachineLogs", retention=LOG_RETENTION, encryption_key=key)
        machine = sfn.StateMachine(
            self,
            "Verifier",
            definition_body=sfn.DefinitionBody.from_chainable(fan_out),
            timeout=cdk.Duration.hours(6),
            tracing_enabled=True,
            logs=sfn.LogOptions(
                destination=machine_logs, level=sfn.LogLevel.ALL, include_execution_data=True
            ),
        )
        worker_id = self.get_logical_id(function.node.default_child)  # type: ignore[arg-type]
        for finding in (f"Resource::<{worker_id}.Arn>:*", "Action::kms:GenerateDataKey*", "Resource::*"):
            _ack(
                machine,
                f"AwsSolutions-IAM5[{finding}]",
                "CDK's invoke grant names the worker's versions (:*); its own key; X-Ray and logs need *",
            )

        schedule_role = iam.Role(
            self, "ScheduleRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com")
        )
        machine.grant_start_execution(schedule_role)
        scheduler.CfnSchedule(
            self,
            "Schedule",
            description=f"archkit: verify every deployment of {project}",
            schedule_expression=targets.settings.schedule,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=machine.state_machine_arn,
                role_arn=schedule_role.role_arn,
                input=json.dumps({"targets": [_target_input(t) for t in targets.targets]}, sort_keys=True),
            ),
        )
        cdk.CfnOutput(self, "ReportBucket", value=reports.bucket_name)
        cdk.CfnOutput(self, "FailureTopic", value=failures.topic_arn)
        cdk.CfnOutput(self, "StateMachine", value=machine.state_machine_arn)


def _target_input(target: object) -> dict[str, str]:
    from archkit.verify.targets import Target

    assert isinstance(target, Target)
    return {**target.deployment(), "role_name": target.role_name}


class MemberRoleStack(cdk.Stack):
    """The member role, from the very template `--print-iam-role` prints."""

    def __init__(self, scope: Construct, name: str, *, template: Path) -> None:
        super().__init__(scope, name, description="archkit: read-only role for the verifier")
        cfn_inc.CfnInclude(self, "Role", template_file=str(template))
        _ack(
            self,
            "AwsSolutions-IAM5",
            "the Describe/List/Get calls verify makes have no resource-level permissions; all read-only",
        )


def synthesize_verifier(spec_path: Path, project: str, targets: Targets, out_dir: Path) -> VerifierResult:
    """Write ``out_dir/cdk.out`` (both stacks) and ``out_dir/member-role.template.json``; atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".verifier.", dir=out_dir))
    try:
        code = staging / "code"
        spec_in_code = write_bundle(spec_path, code)
        member = staging / MEMBER_TEMPLATE
        member.write_text(role_json(targets.settings.role_name, targets.settings.verifier_account))
        app = cdk.App(outdir=str(staging / CDK_OUT))
        names = (f"{project}-verifier", f"{project}-verifier-member-role")
        VerifierStack(app, names[0], targets=targets, code=code, spec_in_code=spec_in_code, project=project)
        MemberRoleStack(app, names[1], template=member)
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=False))
        app.synth()
        replace_dir_atomic(staging / CDK_OUT, out_dir / CDK_OUT)
        write_text_atomic(out_dir / MEMBER_TEMPLATE, member.read_text())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return VerifierResult(out_dir, out_dir / CDK_OUT, out_dir / MEMBER_TEMPLATE, names)
