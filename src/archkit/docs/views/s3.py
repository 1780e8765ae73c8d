"""The S3 page: one section per bucket with its prefix tree, policies, lifecycle and settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, or_dash, table, text, yes_no
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.conventions import BUCKET_ENCRYPTION_LABELS, S3_MANAGED_ALGORITHM
from archkit.spec.naming import kms_alias, physical_name

if TYPE_CHECKING:
    from archkit.spec import ArchSpec
    from archkit.spec.data import BucketSpec, LifecycleRuleSpec


def _tree(spec: ArchSpec, key: str, bucket: BucketSpec) -> str:
    """The prefix tree drawn like the seed's: one line per declared prefix, indented by depth."""
    lines = [f"{physical_name(spec, key, 'buckets')}/"]
    width = max((len(p.path) + 2 * p.path.count("/") for p in bucket.prefixes), default=0) + 4
    for prefix in sorted(bucket.prefixes, key=lambda p: p.path):
        depth = prefix.path.rstrip("/").count("/")
        name = prefix.path.rstrip("/").split("/")[-1] + "/"
        entry = f"{'    ' * depth}├── {name}"
        lines.append(f"{entry:<{width}}# {prefix.description}" if prefix.description else entry)
    return "```text\n" + "\n".join(line.rstrip() for line in lines) + "\n```\n"


def _prefixes(bucket: BucketSpec) -> str:
    return table(["Prefix", "Holds"], [(code(p.path), text(p.description) or "—") for p in bucket.prefixes])


def _policies(bucket: BucketSpec) -> str:
    return table(
        ["Statement", "Principal", "Access", "Prefix"],
        [(code(p.sid), code(p.principal), code(p.access), code(p.prefix)) for p in bucket.policies],
        empty="No prefix-scoped statements (only the TLS-only deny, when enforced).",
    )


def _transitions(rule: LifecycleRuleSpec) -> str:
    return ", ".join(f"{t.storage_class} after {t.days} days" for t in rule.transitions) or "—"


def _days(value: int | None) -> str:
    return "—" if value is None else f"{value} days"


def _lifecycle(bucket: BucketSpec) -> str:
    return table(
        ["Rule", "Prefix", "Transitions", "Expire", "Expire old versions", "Abort multipart uploads"],
        [
            (
                code(r.id),
                code(r.prefix),
                _transitions(r),
                _days(r.expiration_days),
                _days(r.noncurrent_expiration_days),
                _days(r.abort_incomplete_multipart_days),
            )
            for r in bucket.lifecycle
        ],
        empty="No lifecycle rules.",
    )


def _settings(spec: ArchSpec, bucket: BucketSpec) -> str:
    tiering = bucket.intelligent_tiering
    tiering_text = "no"
    if tiering.enabled:
        tiering_text = (
            f"on {code(tiering.prefix) if tiering.prefix else 'the whole bucket'}: "
            f"archive after {_days(tiering.archive_access_days)}, "
            f"deep archive after {_days(tiering.deep_archive_access_days)}"
        )
    encryption = f"{BUCKET_ENCRYPTION_LABELS['s3_managed']} ({S3_MANAGED_ALGORITHM})"
    if bucket.encryption == "kms":
        key = code(kms_alias(spec, bucket.kms_key)) if bucket.kms_key else "aws/s3"
        encryption = f"{BUCKET_ENCRYPTION_LABELS['kms']} with {key}"
    return key_values(
        [
            ("Versioning", yes_no(bucket.versioning)),
            ("Encryption", encryption),
            ("Block public access", yes_no(bucket.block_public_access)),
            ("TLS only", yes_no(bucket.enforce_tls)),
            ("Server access logs to", or_dash(bucket.access_logs_bucket)),
            ("Object ownership", code(bucket.object_ownership)),
            ("Intelligent-Tiering", tiering_text),
        ]
    )


def _grants(spec: ArchSpec, key: str) -> str:
    path = f"buckets.{key}"
    rows = [
        (code(f), code(fn.grants[path].access), codes(fn.grants[path].prefixes, "whole bucket"))
        for f, fn in spec.functions.items()
        if path in fn.grants
    ]
    return table(["Function", "Access", "Prefixes"], rows, empty="No function is granted access.")


def _bucket_section(spec: ArchSpec, key: str, bucket: BucketSpec) -> str:
    return section(
        f"Bucket {code(key)}",
        key_values(
            [
                ("Name", code(physical_name(spec, key, "buckets"))),
                ("Description", text(bucket.description) or "—"),
            ]
        ),
        section("Prefixes", _tree(spec, key, bucket), _prefixes(bucket), level=3),
        section("Bucket policy", _policies(bucket), level=3),
        section("Function grants", _grants(spec, key), level=3),
        section("Lifecycle", _lifecycle(bucket), level=3),
        section("Settings", _settings(spec, bucket), level=3),
        anchor=f"buckets.{key}",
    )


def body(spec: ArchSpec, ctx: PageContext) -> str:
    if not spec.buckets:
        return "The spec declares no S3 buckets.\n"
    summary = table(
        ["Bucket", "Name", "Prefixes", "Policy statements", "Lifecycle rules"],
        [
            (
                f"[{code(k)}](#buckets.{k})",
                code(physical_name(spec, k, "buckets")),
                len(b.prefixes),
                len(b.policies),
                len(b.lifecycle),
            )
            for k, b in spec.buckets.items()
        ],
    )
    return join_blocks(summary, *[_bucket_section(spec, k, b) for k, b in spec.buckets.items()])


PAGE = ViewPage(
    file="s3.md",
    title="S3 buckets",
    diagram_views=("s3",),
    intro="Every bucket with its prefix structure, prefix-scoped bucket policies, lifecycle rules and "
    "settings.",
    body=body,
)
