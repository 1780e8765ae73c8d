"""The read-only IAM policy of `archkit verify`: exactly the operations the collectors call.

Each kind module declares the operations its collector calls (`Kind.reads`); the client factory refuses
any operation not listed here, so the policy printed by `archkit verify --print-iam-policy` covers every
call and verify can never write.
"""

from __future__ import annotations

import json

from archkit.verify.kinds import read_operations

RUN_OPERATIONS: dict[str, tuple[str, ...]] = {
    "sts": ("GetCallerIdentity",),
    "resourcegroupstaggingapi": ("GetResources",),
}
"""Calls of the run itself rather than of one kind: who am I, and the search for unmanaged resources."""


def _read_operations() -> dict[str, tuple[str, ...]]:
    ops = {service: set(names) for service, names in read_operations().items()}
    for service, names in RUN_OPERATIONS.items():
        ops.setdefault(service, set()).update(names)
    return {service: tuple(sorted(ops[service])) for service in sorted(ops)}


READ_OPERATIONS: dict[str, tuple[str, ...]] = _read_operations()
"""botocore service -> operations verify calls (each kind declares its own); all Describe/Get/List."""

_IAM_PREFIX = {"resourcegroupstaggingapi": "tag", "elbv2": "elasticloadbalancing"}
_API_GATEWAY = frozenset({"apigateway", "apigatewayv2"})
"""API Gateway authorises by HTTP verb on resource paths: every read is `apigateway:GET`."""

_S3_ACTIONS = {
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "ListBucketIntelligentTieringConfigurations": "s3:GetIntelligentTieringConfiguration",
    "GetBucketNotificationConfiguration": "s3:GetBucketNotification",
}
_BUDGET_ACTIONS = {
    "DescribeBudgets": "budgets:ViewBudget",
    "DescribeNotificationsForBudget": "budgets:ViewBudget",
}


def iam_actions(service: str, operation: str) -> list[str]:
    """IAM action(s) authorising one API operation."""
    if service in _API_GATEWAY:
        return ["apigateway:GET"]
    if service == "s3" and operation in _S3_ACTIONS:
        return [_S3_ACTIONS[operation]]
    if service == "budgets":
        return [_BUDGET_ACTIONS[operation]]
    return [f"{_IAM_PREFIX.get(service, service)}:{operation}"]


def is_read_operation(operation: str) -> bool:
    return operation.startswith(("Describe", "Get", "List"))


def policy_document() -> dict[str, object]:
    """The least-privilege, read-only policy covering every call of `archkit verify`."""
    actions = sorted(
        {
            action
            for service, operations in READ_OPERATIONS.items()
            if service not in _API_GATEWAY
            for op in operations
            for action in iam_actions(service, op)
        }
    )
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ArchkitVerifyRead", "Effect": "Allow", "Action": actions, "Resource": "*"},
            {
                "Sid": "ArchkitVerifyApiGatewayRead",
                "Effect": "Allow",
                "Action": ["apigateway:GET"],
                "Resource": [
                    "arn:aws:apigateway:*::/restapis",
                    "arn:aws:apigateway:*::/restapis/*",
                    "arn:aws:apigateway:*::/apikeys",
                    "arn:aws:apigateway:*::/usageplans",
                    "arn:aws:apigateway:*::/usageplans/*",
                    "arn:aws:apigateway:*::/vpclinks",
                ],
            },
        ],
    }


def policy_json() -> str:
    return json.dumps(policy_document(), indent=2, sort_keys=False) + "\n"
