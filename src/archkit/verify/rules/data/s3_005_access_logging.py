"""ARCH-S3-005: S3 buckets write server access logs."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-S3-005",
    title="S3 buckets write server access logs",
    severity="medium",
    layer="data",
    enforces="Access Logging",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation=(
        "Set `access_logs_bucket` to a log bucket key. The log bucket itself is the destination: suppress "
        "this rule for it in `compliance.suppressions` with that reason."
    ),
    counterparts=Counterparts(
        security_hub=("S3.9",),
        cdk_nag=("AwsSolutions-S1", "NIST.800.53.R5-S3BucketLoggingEnabled"),
        checkov=("CKV_AWS_18",),
        prowler=("s3_bucket_server_access_logging_enabled",),
        config=("s3-bucket-logging-enabled",),
    ),
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """Server access logs record every request to the bucket's objects."""
    if bucket.logging_bucket is None:
        return failed(
            "server access logging is off", attribute="logging_bucket", expected="a log bucket", actual=None
        )
    return passed(f"logs to {bucket.logging_bucket}", attribute="logging_bucket")
