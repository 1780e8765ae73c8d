"""What a spec attribute means for security, availability and cost: the lever tables of ``archkit diff``.

Each table maps an fnmatch pattern to what the attribute is, in words. A pattern that starts with ``*``
matches the leaf's own name (the last path segment: ``*deletion_protection``), so a resource key such as
``buckets.access_logs`` never reads as an attribute; any other pattern matches the whole dotted spec path
(``functions.*.memory``). A leaf may be a lever of several classes (``network.nat_gateways`` is both cost
and availability). Whether a change replaces a resource is NOT decided here: that comes from the
CloudFormation resource schemas, through :mod:`archkit.diff.carriers` (or the templates, with ``--synth``).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

COST: dict[str, str] = {
    "functions.*.memory": "Lambda memory (price per GB-second)",
    "functions.*.reserved_concurrency": "reserved concurrency",
    "functions.*.provisioned_concurrency*": "provisioned concurrency (billed while idle)",
    "functions.*.architecture": "Lambda architecture (arm64 costs less per GB-second)",
    "functions.*.ephemeral_storage": "Lambda ephemeral storage",
    "network.nat_gateways": "NAT gateways (hourly and per-GB charges each)",
    "network.endpoints*": "VPC endpoints (interface endpoints bill hourly per AZ)",
    "network.bastion.instance_type": "bastion instance type",
    "tables.*.billing": "DynamoDB billing mode",
    "tables.*capacity*": "DynamoDB provisioned capacity",
    "tables.*.auto_scaling*": "DynamoDB auto scaling",
    "tables.*.replicas": "DynamoDB replica regions (storage and replicated writes per region)",
    "tables.*.table_class": "DynamoDB table class",
    "buckets.*.lifecycle*": "S3 lifecycle rules",
    "buckets.*.intelligent_tiering*": "S3 Intelligent-Tiering",
    "*storage_class*": "storage class",
    "buckets.*.versioning": "S3 versioning (noncurrent versions are billed)",
    "edge.cdn.price_class": "CloudFront price class",
    "edge.waf.bot_control": "WAF Bot Control (per-request charge)",
    "cost.budgets*": "budgets",
    "cost.anomaly_detection*": "cost anomaly detection",
    "rds.instance_class": "RDS instance class",
    "rds.allocated_storage_gb": "RDS storage",
    "rds.storage_type": "RDS storage type",
    "rds.multi_az": "RDS Multi-AZ (a second instance)",
    "*retention_days": "retention (stored bytes)",
}

AVAILABILITY: dict[str, str] = {
    "availability_zones": "availability zones",
    "network.nat_gateways": "NAT gateways (one per AZ keeps each AZ's egress independent)",
    "network.high_availability": "high availability",
    "network.public_subnets*": "public subnets per AZ",
    "network.private_subnets*": "private subnets per AZ",
    "rds.multi_az": "RDS Multi-AZ standby",
    "rds.backup_retention_days": "RDS backup retention",
    "*deletion_protection": "deletion protection",
    "tables.*.point_in_time_recovery": "point-in-time recovery",
    "tables.*.replicas": "DynamoDB replica regions",
    "buckets.*.versioning": "S3 versioning (recovers overwritten and deleted objects)",
}

SECURITY: dict[str, str] = {
    "functions.*.grants*": "IAM grants",
    "functions.*.secrets": "secrets a function may read",
    "functions.*.vpc": "Lambda in the VPC",
    "security.roles*": "IAM roles",
    "buckets.*.policies*": "bucket policy",
    "*block_public_access": "S3 block public access",
    "network.security_groups*": "security group rules",
    "network.alb.internet_facing": "internet-facing load balancer",
    "network.bastion.public_ip": "bastion public IP",
    "network.bastion.allowed_cidrs": "bastion allowed CIDRs",
    "network.flow_logs*": "VPC flow logs",
    "*encryption*": "encryption",
    "*kms_key": "KMS key",
    "*enforce_tls": "TLS enforcement",
    "*minimum_tls": "minimum TLS version",
    "*tls_minimum": "minimum TLS version",
    "*ssl_policy": "TLS policy",
    "*access_logs*": "access logging",
    "api.routes.*.authorizer": "route authorizer",
    "api.default_authorizer": "default authorizer",
    "api.routes.*.api_key_required": "API key required",
    "api.authorizers*": "API authorizers",
    "api.ip_allow_list": "API IP allow list",
    "api.cors*": "CORS",
    "api.logging*": "API logging",
    "edge.waf*": "WAF",
    "edge.shield": "Shield",
    "edge.cdn.viewer_protocol": "viewer protocol",
    "edge.cdn.origin_access": "origin access",
    "secrets.*.rotation*": "secret rotation",
    "security.kms_keys.*.rotation": "KMS key rotation",
    "security.application*": "application security layer",
    "security.data*": "data security layer",
    "rds.iam_authentication": "RDS IAM authentication",
}

BAD_WHEN_TRUE = ("*internet_facing", "*public_ip", "*data_trace")
"""Booleans whose ``true`` weakens the system; every other boolean lever is better ``true``."""


def _matches(path: str, pattern: str) -> bool:
    if pattern.startswith("*"):
        return fnmatchcase(path.rsplit(".", 1)[-1], pattern)
    return fnmatchcase(path, pattern)


def match(table: dict[str, str], path: str) -> str | None:
    """What the leaf at ``path`` is as a lever of ``table`` (the first matching pattern), or None."""
    return next((label for pattern, label in table.items() if _matches(path, pattern)), None)


def bad_when_true(path: str) -> bool:
    return any(_matches(path, p) for p in BAD_WHEN_TRUE)
