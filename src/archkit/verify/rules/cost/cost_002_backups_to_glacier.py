"""ARCH-COST-002: `backups/` moves to Glacier within 90 days."""

from __future__ import annotations

from archkit.verify.kinds.s3_bucket import BucketState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.rules.common import backup_prefixes, covers

ARCHIVE_CLASSES = frozenset({"GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"})
MAX_DAYS = 90


@rule(
    id="ARCH-COST-002",
    title="Backups move to Glacier after at most 90 days",
    severity="low",
    layer="cost",
    enforces="Lifecycle: Move to Glacier after 90 days for /backups",
    applies_to=BucketState,
    resource_type="AWS::S3::Bucket",
    remediation=(
        "Add a lifecycle rule `{id: backups-to-glacier, prefix: backups/, transitions: "
        "[{storage_class: GLACIER, days: 90}]}` to the bucket."
    ),
    counterparts=Counterparts(
        security_hub=("S3.13",),
        prowler=("s3_bucket_lifecycle_enabled",),
        config=("s3-lifecycle-policy-check",),
    ),
    differences="The public controls only ask for some lifecycle rule; archkit asks for this transition.",
)
def check(bucket: BucketState, ctx: RuleContext) -> list[Outcome]:
    """Each backup prefix is covered by an enabled lifecycle rule transitioning to GLACIER, GLACIER_IR or
    DEEP_ARCHIVE within 90 days."""
    prefixes = backup_prefixes(ctx.spec, bucket.path, [r.prefix for r in bucket.lifecycle_rules.values()])
    if not prefixes:
        return [not_applicable("the bucket holds no backups")]
    outcomes: list[Outcome] = []
    for prefix in prefixes:
        archiving = sorted(
            rule_id
            for rule_id, lc in bucket.lifecycle_rules.items()
            if lc.enabled
            and covers(lc.prefix, prefix)
            and any(t.storage_class in ARCHIVE_CLASSES and t.days <= MAX_DAYS for t in lc.transitions)
        )
        attribute = f"lifecycle_rules[{prefix}]"
        if archiving:
            outcomes.append(passed(f"{prefix} archived by {', '.join(archiving)}", attribute=attribute))
        else:
            outcomes.append(
                failed(
                    f"{prefix} does not move to Glacier within {MAX_DAYS} days",
                    attribute=attribute,
                    expected=f"GLACIER after <= {MAX_DAYS} days",
                    actual={
                        k: v.model_dump(mode="json")
                        for k, v in bucket.lifecycle_rules.items()
                        if covers(v.prefix, prefix)
                    },
                )
            )
    return outcomes
