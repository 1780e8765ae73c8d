"""ARCH-S3-003: the bucket policy denies requests not made over TLS."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-S3-003",
    title="S3 bucket policies deny requests without TLS",
    severity="medium",
    layer="data",
    enforces="Encryption in Transit (TLS)",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation="Set `enforce_tls: true` on the bucket.",
    counterparts=Counterparts(
        security_hub=("S3.5",),
        cdk_nag=("AwsSolutions-S10", "NIST.800.53.R5-S3BucketSSLRequestsOnly"),
        prowler=("s3_bucket_secure_transport_policy",),
        config=("s3-bucket-ssl-requests-only",),
        cis=("2.1.2",),
    ),
)
def check(bucket: BucketState, ctx: RuleContext) -> Outcome:
    """A Deny statement on `aws:SecureTransport = false` covers the bucket and its objects."""
    if bucket.enforce_tls:
        return passed("TLS enforced", attribute="enforce_tls")
    return failed("plain-HTTP requests are not denied", attribute="enforce_tls", expected=True, actual=False)
