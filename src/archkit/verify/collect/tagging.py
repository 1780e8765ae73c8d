"""Resources carrying this system's Project/Environment tags, via the Resource Groups Tagging API (one
paginated call for Lambda, DynamoDB, S3, KMS, Secrets Manager, CloudFront, load balancers, target groups and
RDS instances); EC2 and API Gateway collectors report theirs while listing."""

from __future__ import annotations

from archkit.verify.kinds.reading import Context, paginate

RESOURCE_TYPE_FILTERS = [
    "dynamodb:table",
    "lambda:function",
    "s3",
    "kms:key",
    "secretsmanager:secret",
    "cloudfront",
    "elasticloadbalancing:loadbalancer",
    "elasticloadbalancing:targetgroup",
    "rds:db",
]


def cfn_type_of(arn: str) -> tuple[str, str] | None:
    """(CloudFormation type, physical id) of a tagged resource's ARN, for the kinds verify models."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return None
    service, resource = parts[2], parts[5]
    if service == "dynamodb" and resource.startswith("table/") and "/" not in resource[6:]:
        return "AWS::DynamoDB::Table", resource[6:]
    if service == "lambda" and resource.startswith("function:"):
        return "AWS::Lambda::Function", resource.split(":")[1]
    if service == "s3" and "/" not in resource:
        return "AWS::S3::Bucket", resource
    if service == "kms" and resource.startswith("key/"):
        return "AWS::KMS::Key", resource[4:]
    if service == "secretsmanager" and resource.startswith("secret:"):
        return "AWS::SecretsManager::Secret", arn
    if service == "cloudfront" and resource.startswith("distribution/"):
        return "AWS::CloudFront::Distribution", resource.split("/", 1)[1]
    if service == "elasticloadbalancing" and resource.startswith("loadbalancer/app/"):
        return "AWS::ElasticLoadBalancingV2::LoadBalancer", arn
    if service == "elasticloadbalancing" and resource.startswith("targetgroup/"):
        return "AWS::ElasticLoadBalancingV2::TargetGroup", arn
    if service == "rds" and resource.startswith("db:"):
        return "AWS::RDS::DBInstance", arn
    return None


def collect(ctx: Context) -> None:
    if not ctx.spec.drift.report_unmanaged:
        return
    tagging = ctx.aws.client("resourcegroupstaggingapi")
    filters = [
        {"Key": "Project", "Values": [ctx.spec.project]},
        {"Key": "Environment", "Values": [ctx.spec.environment]},
    ]
    mappings = paginate(
        tagging,
        "get_resources",
        "ResourceTagMappingList",
        TagFilters=filters,
        ResourceTypeFilters=RESOURCE_TYPE_FILTERS,
    )
    for m in mappings:
        typed = cfn_type_of(m["ResourceARN"])
        if typed is None:
            continue
        tags = {t["Key"]: t["Value"] for t in m.get("Tags", [])}
        ctx.candidate(typed[0], typed[1], tags)
