"""The handlers of every CloudFormation resource type the deployer creates, one module per service.

Importing this package registers them all into ``archkit.emulate.registry``."""

from archkit.emulate.handlers import (  # noqa: F401  (each module registers its handlers)
    acm,
    apigateway,
    cdk_custom,
    cloudfront,
    cost,
    dynamodb,
    ec2,
    elbv2,
    events,
    iam,
    kms,
    lambda_,
    logs,
    rds,
    route53,
    s3,
    secretsmanager,
    sns,
    sqs,
    ssm,
    wafv2,
)
