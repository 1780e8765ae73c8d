"""Node kinds → mingrammer ``diagrams`` node classes (for their AWS icons) and plain box styles."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

ICON_CLASSES: dict[str, str] = {
    "internet": "diagrams.onprem.network.Internet",
    "route53": "diagrams.aws.network.Route53",
    "cloudfront": "diagrams.aws.network.CloudFront",
    "waf": "diagrams.aws.security.WAF",
    "s3": "diagrams.aws.storage.SimpleStorageServiceS3Bucket",
    "apigw": "diagrams.aws.network.APIGateway",
    "nat": "diagrams.aws.network.NATGateway",
    "bastion": "diagrams.aws.compute.EC2Instance",
    "alb": "diagrams.aws.network.ElbApplicationLoadBalancer",
    "lambda": "diagrams.aws.compute.Lambda",
    "layer": "diagrams.aws.compute.LambdaFunction",
    "rds": "diagrams.aws.database.RDS",
    "endpoint": "diagrams.aws.network.Endpoint",
    "dynamodb": "diagrams.aws.database.DynamodbTable",
    "gsi": "diagrams.aws.database.DynamodbGlobalSecondaryIndex",
    "secret": "diagrams.aws.security.SecretsManager",
    "kms": "diagrams.aws.security.KeyManagementService",
    "role": "diagrams.aws.security.IdentityAndAccessManagementIamRole",
    "securitygroup": "diagrams.aws.general.GenericFirewall",
    "flowlogs": "diagrams.aws.network.VPCFlowLogs",
    "apikey": "diagrams.aws.security.IdentityAndAccessManagementIamLongTermSecurityCredential",
    "usageplan": "diagrams.aws.network.APIGatewayEndpoint",
    "authorizer": "diagrams.aws.security.IdentityAndAccessManagementIamPermissions",
    "vpclink": "diagrams.aws.network.Privatelink",
    "costexplorer": "diagrams.aws.cost.CostExplorer",
    "budget": "diagrams.aws.cost.Budgets",
    "anomaly": "diagrams.aws.management.CloudwatchAlarm",
    "tags": "diagrams.aws.cost.CostAndUsageReport",
    "sqs": "diagrams.aws.integration.SimpleQueueServiceSqsQueue",
    "sns": "diagrams.aws.integration.SimpleNotificationServiceSnsTopic",
    "email": "diagrams.aws.integration.SimpleNotificationServiceSnsEmailNotification",
    "schedule": "diagrams.aws.integration.EventbridgeScheduler",
    "eventrule": "diagrams.aws.integration.EventbridgeRule",
}
"""Kinds drawn with an AWS icon; every other kind is a plain box styled by :data:`BOX_STYLES`."""

BOX_STYLES: dict[str, dict[str, str]] = {
    "feature": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": "#7B8894"},
    "note": {"shape": "note", "style": "filled", "fillcolor": "#FFFBEA", "color": "#C9B458"},
    "rule": {"shape": "note", "style": "filled", "fillcolor": "#EEF6FF", "color": "#6C8EBF"},
    "route": {"shape": "box", "style": "rounded,filled", "fillcolor": "#EDE7F6", "color": "#7E57C2"},
    "method": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": "#7E57C2"},
    "prefix": {"shape": "folder", "style": "filled", "fillcolor": "#FFF3E0", "color": "#E69138"},
}

METHOD_COLORS = {
    "GET": "#188038",
    "POST": "#1A73E8",
    "PUT": "#E37400",
    "PATCH": "#E37400",
    "DELETE": "#C5221F",
}


def icon_class(kind: str) -> Any | None:
    """The diagrams node class drawing ``kind``, or None for a plain box."""
    dotted = ICON_CLASSES.get(kind)
    if dotted is None:
        return None
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def resources_root() -> Path:
    """Directory icon paths are relative to (graphviz ``imagepath``): the parent of the diagrams package."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent


def icon_path(kind: str) -> str | None:
    """Icon of a kind relative to :func:`resources_root` (``resources/aws/compute/lambda.png``)."""
    cls = icon_class(kind)
    if cls is None:
        return None
    return f"{cls._icon_dir}/{cls._icon}"
