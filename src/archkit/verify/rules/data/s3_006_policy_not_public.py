"""ARCH-S3-006: bucket policies grant nothing to everyone."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule

PUBLIC_PRINCIPALS = frozenset({"*", '"*"'})
"""How a state spells `Principal: "*"` and `Principal: {"AWS": "*"}`."""


@rule(
    id="ARCH-S3-006",
    title="S3 bucket policies grant no access to everyone",
    severity="critical",
    layer="data",
    enforces="Encryption at Rest, Access Logging (data reachable only by the spec's principals)",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation=(
        "Remove the statement granting `Principal: *` from the bucket policy; grant the spec's principals "
        "through `buckets.<name>.policies` (CloudFront, functions, roles)."
    ),
    counterparts=Counterparts(
        security_hub=("S3.2", "S3.3"),
        prowler=("s3_bucket_public_access", "s3_bucket_policy_public_write_access"),
        config=("s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"),
    ),
    differences=(
        "Security Hub and Prowler also accept a `*` principal narrowed by a condition (a VPC endpoint, an "
        "organization); archkit's spec never declares one, so every Allow to `*` is reported."
    ),
)
def check(bucket: BucketState, ctx: RuleContext) -> list[Outcome]:
    """A bucket policy statement for everyone is a public bucket, whatever Block Public Access says today."""
    public = sorted(
        sid
        for sid, st in bucket.policy_statements.items()
        if st.effect == "Allow" and st.principal in PUBLIC_PRINCIPALS
    )
    if public:
        return [
            failed(
                f"statement {sid} allows everyone ({bucket.policy_statements[sid].access})",
                attribute=f"policy_statements.{sid}.principal",
                expected="a principal of the spec",
                actual="*",
            )
            for sid in public
        ]
    return [passed("no statement for everyone", attribute="policy_statements")]
