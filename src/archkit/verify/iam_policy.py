"""The read-only IAM policy of `archkit verify`: exactly the operations the collectors call.

The client factory refuses any operation not listed here, so the policy printed by
`archkit verify --print-iam-policy` covers every call and verify can never write.
"""

from __future__ import annotations

import json

READ_OPERATIONS: dict[str, tuple[str, ...]] = {
    "sts": ("GetCallerIdentity",),
    "ec2": (
        "DescribeVpcs",
        "DescribeSubnets",
        "DescribeRouteTables",
        "DescribeNatGateways",
        "DescribeVpcEndpoints",
        "DescribeSecurityGroups",
        "DescribeFlowLogs",
        "DescribePrefixLists",
        "DescribeInternetGateways",
        "DescribeInstances",
        "DescribeVolumes",
        "DescribeInstanceAttribute",
    ),
    "logs": ("DescribeLogGroups",),
    "kms": ("ListAliases", "DescribeKey", "GetKeyRotationStatus", "ListResourceTags"),
    "iam": (
        "GetRole",
        "ListRolePolicies",
        "GetRolePolicy",
        "ListAttachedRolePolicies",
        "GetPolicy",
        "GetPolicyVersion",
        "GetInstanceProfile",
    ),
    "secretsmanager": ("ListSecrets",),
    "lambda": ("GetFunction", "ListLayers", "ListEventSourceMappings"),
    "dynamodb": ("DescribeTable", "DescribeContinuousBackups", "DescribeTimeToLive", "ListTagsOfResource"),
    "application-autoscaling": ("DescribeScalableTargets", "DescribeScalingPolicies"),
    "s3": (
        "GetBucketTagging",
        "GetPublicAccessBlock",
        "GetBucketEncryption",
        "GetBucketVersioning",
        "GetBucketLifecycleConfiguration",
        "GetBucketPolicy",
        "GetBucketLogging",
        "ListBucketIntelligentTieringConfigurations",
        "GetBucketOwnershipControls",
    ),
    "apigateway": (
        "GetRestApis",
        "GetResources",
        "GetAuthorizers",
        "GetRequestValidators",
        "GetModels",
        "GetStage",
        "GetApiKeys",
        "GetUsagePlans",
        "GetUsagePlanKeys",
    ),
    "apigatewayv2": ("GetVpcLinks",),
    "elbv2": (
        "DescribeLoadBalancers",
        "DescribeLoadBalancerAttributes",
        "DescribeListeners",
        "DescribeRules",
        "DescribeTargetGroups",
        "DescribeTargetGroupAttributes",
        "DescribeTargetHealth",
        "DescribeTags",
    ),
    "acm": ("DescribeCertificate",),
    "rds": ("DescribeDBInstances", "DescribeDBSubnetGroups", "ListTagsForResource"),
    "cloudfront": ("ListDistributions", "GetDistributionConfig", "ListTagsForResource"),
    "wafv2": ("ListWebACLs", "GetWebACL", "GetIPSet", "ListTagsForResource", "GetWebACLForResource"),
    "route53": ("ListHostedZonesByName", "ListResourceRecordSets", "ListTagsForResource"),
    "budgets": ("DescribeBudgets", "DescribeNotificationsForBudget"),
    "ce": ("GetAnomalyMonitors", "GetAnomalySubscriptions"),
    "resourcegroupstaggingapi": ("GetResources",),
}
"""botocore service name -> operations verify calls. Every one is a Describe/Get/List."""

_IAM_PREFIX = {"resourcegroupstaggingapi": "tag", "elbv2": "elasticloadbalancing"}
_API_GATEWAY = frozenset({"apigateway", "apigatewayv2"})
"""API Gateway authorises by HTTP verb on resource paths: every read is `apigateway:GET`."""

_S3_ACTIONS = {
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "ListBucketIntelligentTieringConfigurations": "s3:GetIntelligentTieringConfiguration",
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
