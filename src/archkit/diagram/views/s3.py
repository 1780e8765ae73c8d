"""``s3``: each bucket's prefix tree, the policies granting principals access to prefixes, lifecycle rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.diagram.model import View, ViewBuilder
from archkit.diagram.views.common import access_label, on_off, storage_class, wrap
from archkit.spec.conventions import BUCKET_ENCRYPTION_LABELS, S3_MANAGED_ALGORITHM
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.spec.data import BucketSpec
    from archkit.spec.system import ArchSpec


def prefix_id(bucket: str, prefix: str) -> str:
    """Node id of a prefix: the bucket's spec path, then the key prefix (``buckets.assets/static/css/``)."""
    return f"buckets.{bucket}/{prefix}" if prefix else f"buckets.{bucket}"


def build(spec: ArchSpec) -> View:
    b = ViewBuilder("s3", "S3 Bucket Architecture", "LR")
    if not spec.buckets:
        b.node("buckets", "No S3 buckets declared", "note", ref=None)
    principals: list[tuple[str, str, str, str]] = []  # (principal node, target node, label, kind)
    for key, bucket in spec.buckets.items():
        _bucket(b, spec, key, bucket)
        for policy in bucket.policies:
            # The statement id is in the docs' policy table; on the edge it would widen the diagram.
            label = access_label(policy.access)
            principals.append(
                (
                    _principal(policy.principal),
                    prefix_id(key, policy.prefix),
                    label,
                    access_label(policy.access),
                )
            )
        # IAM grants that no bucket policy statement already shows.
        for fn_key, fn in spec.functions.items():
            grant = fn.grants.get(f"buckets.{key}")
            if grant is None:
                continue
            for prefix in grant.prefixes or [""]:
                target = prefix_id(key, prefix)
                label = access_label(grant.access)
                if not any(p == f"functions.{fn_key}" and t == target for p, t, _, _ in principals):
                    principals.append((f"functions.{fn_key}", target, f"{label} (IAM)", label))

    if principals:
        b.group("principals", "Principals", kind="principals", ref=None)
        for node in dict.fromkeys(p for p, _, _, _ in principals):
            kind, _, name = node.partition(".")
            if node == "edge.cdn":
                b.node(
                    node, "CloudFront", "cloudfront", group="principals", details=["origin access control"]
                )
            elif kind == "functions":
                b.node(node, name, "lambda", group="principals", details=["execution role"])
            else:
                role_key = node.rsplit(".", 1)[-1]
                role = spec.security.roles[role_key]
                b.node(node, f"role {role_key}", "role", group="principals", details=[role.assumed_by])
        for source, target, label, kind in principals:
            b.edge(source, target, label, kind=kind)
    for key, bucket in spec.buckets.items():
        if bucket.access_logs_bucket:
            b.edge(
                f"buckets.{key}",
                f"buckets.{bucket.access_logs_bucket}",
                "access logs",
                kind="writes",
                dashed=True,
            )
    return b.build()


def _principal(principal: str) -> str:
    """Node id (inventory spec path) of a bucket policy principal."""
    if principal == "cloudfront":
        return "edge.cdn"
    if principal.startswith("roles."):
        return f"security.{principal}"
    return principal


def _bucket(b: ViewBuilder, spec: ArchSpec, key: str, bucket: BucketSpec) -> None:
    group = b.group(f"bucket#{key}", f"Bucket {spec.name_of(key, 'buckets')}", kind="bucket", ref=None)
    settings = [
        f"versioning {on_off(bucket.versioning)}",
        f"{BUCKET_ENCRYPTION_LABELS['s3_managed']} ({S3_MANAGED_ALGORITHM})"
        if bucket.encryption == "s3_managed"
        else f"{BUCKET_ENCRYPTION_LABELS['kms']} ({bucket.kms_key})",
        "public access blocked" if bucket.block_public_access else "public access NOT blocked",
        "TLS only" if bucket.enforce_tls else "TLS not enforced",
    ]
    b.node(f"buckets.{key}", f"{spec.name_of(key, 'buckets')}/", "s3", group=group, details=settings)

    # The prefix tree: declared prefixes plus the intermediate ones they imply.
    paths: list[str] = []
    for prefix in bucket.prefixes:
        parts = prefix.path.rstrip("/").split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i]) + "/"
            if sub not in paths:
                paths.append(sub)
    described = {p.path: p.description for p in bucket.prefixes}
    for path in paths:
        name = path.rstrip("/").rsplit("/", 1)[-1] + "/"
        parent = path.rstrip("/").rpartition("/")[0]
        b.node(
            prefix_id(key, path),
            name,
            "prefix",
            group=group,
            details=[described[path]] if described.get(path) else [],
            ref=None,
        )
        b.edge(prefix_id(key, parent + "/" if parent else ""), prefix_id(key, path), kind="tree")

    for i, rule in enumerate(bucket.lifecycle):
        lines = [f"→ {storage_class(t.storage_class)} after {count(t.days, 'day')}" for t in rule.transitions]
        if rule.expiration_days:
            lines.append(f"expire after {count(rule.expiration_days, 'day')}")
        if rule.noncurrent_expiration_days:
            lines.append(f"old versions expire after {count(rule.noncurrent_expiration_days, 'day')}")
        # Wrapped: the rules share the bucket's column, which sets how wide the diagram is.
        wrapped = [part for line in lines for part in wrap(line, 26)]
        b.node(f"buckets.{key}.lifecycle.{i}", f"Lifecycle {rule.id}", "rule", group=group, details=wrapped)
        b.edge(
            f"buckets.{key}.lifecycle.{i}",
            _rule_target(b, key, rule.prefix),
            "lifecycle",
            kind="applies",
            dashed=True,
            constraint=False,  # rules stay in the bucket's column instead of adding one
        )
    tiering = bucket.intelligent_tiering
    if tiering.enabled:
        lines = []
        if tiering.archive_access_days:
            lines.append(f"Archive Access after {count(tiering.archive_access_days, 'day')}")
        if tiering.deep_archive_access_days:
            lines.append(f"Deep Archive after {count(tiering.deep_archive_access_days, 'day')}")
        b.node(
            f"buckets.{key}.intelligent_tiering", "Intelligent-Tiering", "rule", group=group, details=lines
        )
        b.edge(
            f"buckets.{key}.intelligent_tiering",
            _rule_target(b, key, tiering.prefix),
            "tiering",
            kind="applies",
            dashed=True,
            constraint=False,
        )
    if not bucket.prefixes and not bucket.lifecycle:
        b.node(f"buckets.{key}.prefixes", "(no declared prefixes)", "note", group=group, ref=None)


def _rule_target(b: ViewBuilder, bucket: str, prefix: str) -> str:
    node = prefix_id(bucket, prefix)
    return node if b.has(node) else f"buckets.{bucket}"
