"""IAM actions behind each access level of a grant or bucket policy statement.

One table used by CDK (role policies, bucket policies) and by verify (expected statements), so both
sides agree on what `read`, `write` and `read_write` mean for each kind of data store.
"""

from __future__ import annotations

from archkit.spec.base import Access

TABLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": (
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
    ),
    "write": (
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ),
}

BUCKET_OBJECT_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": ("s3:GetObject",),
    "write": ("s3:AbortMultipartUpload", "s3:PutObject"),
}
"""Object-level actions; `read_write` adds `s3:DeleteObject` (a writer that can also read may clean up)."""

BUCKET_LIST_ACTION = "s3:ListBucket"

SECRET_READ_ACTIONS: tuple[str, ...] = ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")

KMS_DECRYPT_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:DescribeKey")
KMS_ENCRYPT_ACTIONS: tuple[str, ...] = (
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)


def _levels(access: Access) -> tuple[str, ...]:
    return ("read", "write") if access == "read_write" else (access,)


def table_actions(access: Access) -> list[str]:
    """DynamoDB item actions for an access level, sorted."""
    return sorted({a for level in _levels(access) for a in TABLE_ACTIONS[level]})


def bucket_object_actions(access: Access) -> list[str]:
    """S3 object actions for an access level, sorted."""
    actions = {a for level in _levels(access) for a in BUCKET_OBJECT_ACTIONS[level]}
    if access == "read_write":
        actions.add("s3:DeleteObject")
    return sorted(actions)


def kms_actions(access: Access) -> list[str]:
    """KMS actions a principal needs on the key of a store it reads and/or writes."""
    actions = set(KMS_DECRYPT_ACTIONS)
    if access != "read":
        actions |= set(KMS_ENCRYPT_ACTIONS)
    return sorted(actions)


def object_resource_suffix(prefix: str) -> str:
    """``uploads/`` → ``uploads/*``; the empty prefix (whole bucket) → ``*``."""
    return f"{prefix}*"
