"""Baseline for bench_generate.py: the reference system's core resources written by hand as a plain
CDK app (no archkit): VPC with explicit subnets and NAT, endpoints, security group, KMS key, global
table, buckets, layers, nine functions, the REST API route tree, CloudFront with WAF, and a budget.

    python bench/baseline/plain_cdk_app.py OUTDIR [--nag]
"""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_wafv2 as wafv2

CODE = Path(__file__).resolve().parents[2] / "specs" / "lambda"
ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]
FUNCTIONS = {
    "get-user": "handlers.users.get_user",
    "add-user": "handlers.users.add_user",
    "get-user-id": "handlers.users.user_by_id",
    "get-items": "handlers.items.get_items",
    "add-item": "handlers.items.add_item",
    "auth": "handlers.auth.handler",
    "authorizer": "handlers.authorizer.handler",
    "process-stream": "handlers.stream.handler",
    "rotate-secret": "handlers.rotation.handler",
}
ROUTES = [
    ("api/users", "GET", "get-user"),
    ("api/users", "POST", "add-user"),
    ("api/users/{id}", "GET", "get-user-id"),
    ("api/users/{id}", "PUT", "get-user-id"),
    ("api/users/{id}", "DELETE", "get-user-id"),
    ("api/items", "GET", "get-items"),
    ("api/items", "POST", "add-item"),
    ("api/auth/login", "POST", "auth"),
    ("api/auth/refresh", "POST", "auth"),
]


def main(outdir: str, nag: bool) -> None:
    app = cdk.App(outdir=outdir, analytics_reporting=False, stack_traces=False)
    env = cdk.Environment(region="us-east-1")
    network = cdk.Stack(app, "plain-network", env=env)
    vpc = ec2.CfnVPC(
        network, "Vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True, enable_dns_support=True
    )
    igw = ec2.CfnInternetGateway(network, "Igw")
    attach = ec2.CfnVPCGatewayAttachment(network, "IgwAttach", vpc_id=vpc.ref, internet_gateway_id=igw.ref)
    private = []
    for i, az in enumerate(ZONES):
        public = ec2.PublicSubnet(
            network, f"Public{i}", availability_zone=az, cidr_block=f"10.0.{i}.0/24", vpc_id=vpc.ref
        )
        public.add_default_internet_route(igw.ref, attach)
        nat = public.add_nat_gateway()
        subnet = ec2.PrivateSubnet(
            network, f"Private{i}", availability_zone=az, cidr_block=f"10.0.1{i}.0/24", vpc_id=vpc.ref
        )
        subnet.add_default_nat_route(nat.ref)
        private.append(subnet)
    ivpc = ec2.Vpc.from_vpc_attributes(network, "VpcRef", vpc_id=vpc.ref, availability_zones=ZONES)
    for service in ("dynamodb", "s3"):
        ec2.CfnVPCEndpoint(
            network,
            f"{service}Endpoint",
            vpc_id=vpc.ref,
            service_name=f"com.amazonaws.us-east-1.{service}",
            vpc_endpoint_type="Gateway",
            route_table_ids=[s.route_table.route_table_id for s in private],
        )
    for service in ("ssm", "secretsmanager"):
        ec2.CfnVPCEndpoint(
            network,
            f"{service}Endpoint",
            vpc_id=vpc.ref,
            service_name=f"com.amazonaws.us-east-1.{service}",
            vpc_endpoint_type="Interface",
            subnet_ids=[s.subnet_id for s in private],
            private_dns_enabled=True,
        )
    sg = ec2.SecurityGroup(network, "LambdaSg", vpc=ivpc, allow_all_outbound=False, description="Lambda")
    sg.add_egress_rule(ec2.Peer.ipv4("0.0.0.0/0"), ec2.Port.tcp(443), "HTTPS")

    data = cdk.Stack(app, "plain-data", env=env)
    key = kms.Key(data, "Key", enable_key_rotation=True, alias="alias/plain-data")
    table = dynamodb.TableV2(
        data,
        "Table",
        table_name="plain-main",
        partition_key=dynamodb.Attribute(name="user_id", type=dynamodb.AttributeType.STRING),
        sort_key=dynamodb.Attribute(name="item_id", type=dynamodb.AttributeType.STRING),
        dynamo_stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
        time_to_live_attribute="expires_at",
        global_secondary_indexes=[
            dynamodb.GlobalSecondaryIndexPropsV2(
                index_name="by_status",
                partition_key=dynamodb.Attribute(name="status", type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name="created_at", type=dynamodb.AttributeType.STRING),
            )
        ],
        replicas=[dynamodb.ReplicaTableProps(region="us-west-2")],
    )
    logs_bucket = s3.Bucket(
        data,
        "Logs",
        bucket_name="plain-logs",
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
    )

    application = cdk.Stack(app, "plain-application", env=env)
    layers = {
        name: lambda_.LayerVersion(
            application, f"Layer{name}", code=lambda_.Code.from_asset(str(CODE / "layers" / name))
        )
        for name in ("common", "aws_sdk", "db_drivers")
    }
    functions = {}
    for name, handler in FUNCTIONS.items():
        group = logs.LogGroup(application, f"{name}Logs", retention=logs.RetentionDays.ONE_MONTH)
        fn = lambda_.Function(
            application,
            name,
            function_name=f"plain-{name}",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            handler=handler,
            code=lambda_.Code.from_asset(str(CODE / "app")),
            memory_size=512,
            timeout=cdk.Duration.seconds(10),
            layers=list(layers.values())[:2],
            vpc=ivpc,
            vpc_subnets=ec2.SubnetSelection(subnets=private),
            security_groups=[sg],
            tracing=lambda_.Tracing.ACTIVE,
            log_group=group,
            environment={"TABLE_NAME": "plain-main"},
        )
        table.grant_read_write_data(fn)
        functions[name] = fn
    api = apigw.RestApi(
        application,
        "Api",
        rest_api_name="plain-api",
        deploy_options=apigw.StageOptions(
            stage_name="v1", throttling_rate_limit=10000, throttling_burst_limit=5000
        ),
    )
    authorizer = apigw.TokenAuthorizer(application, "Authorizer", handler=functions["authorizer"])
    for path, verb, fn_name in ROUTES:
        api.root.resource_for_path(path).add_method(
            verb,
            apigw.LambdaIntegration(functions[fn_name]),
            authorizer=None if "auth/" in path else authorizer,
        )

    edge = cdk.Stack(app, "plain-edge", env=env)
    assets = s3.Bucket(
        edge,
        "Assets",
        bucket_name="plain-assets",
        enforce_ssl=True,
        versioned=True,
        server_access_logs_bucket=s3.Bucket.from_bucket_name(edge, "LogsRef", "plain-logs"),
    )
    acl = wafv2.CfnWebACL(
        edge,
        "Acl",
        scope="CLOUDFRONT",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name="acl", sampled_requests_enabled=True
        ),
        rules=[
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimit",
                priority=0,
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=2000, aggregate_key_type="IP"
                    )
                ),
                visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                    cloud_watch_metrics_enabled=True, metric_name="rate", sampled_requests_enabled=True
                ),
            )
        ],
    )
    cloudfront.Distribution(
        edge,
        "Cdn",
        web_acl_id=acl.attr_arn,
        default_behavior=cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(assets, origin_path="/static")
        ),
        additional_behaviors={
            "/api/*": cloudfront.BehaviorOptions(
                origin=origins.RestApiOrigin(api),
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            )
        },
        log_bucket=logs_bucket,
        log_file_prefix="cloudfront/",
    )
    cost = cdk.Stack(app, "plain-cost", env=env)
    budgets.CfnBudget(
        cost,
        "Budget",
        budget=budgets.CfnBudget.BudgetDataProperty(
            budget_type="COST",
            time_unit="MONTHLY",
            budget_limit=budgets.CfnBudget.SpendProperty(amount=1000, unit="USD"),
        ),
    )
    for key_, value in {"Project": "plain", "Environment": "prod", "Owner": "platform-team"}.items():
        cdk.Tags.of(app).add(key_, value)
    if nag:
        from cdk_nag import AwsSolutionsChecks

        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    _ = key
    try:
        app.synth()
    except RuntimeError as exc:  # the hand-written app has unacknowledged findings; the work is done
        if "ValidationFailed" not in str(exc):
            raise


if __name__ == "__main__":
    main(sys.argv[1], "--nag" in sys.argv[2:])
