"""The changes tests make behind the spec's back on the scratch account (tests/shared.py), all at once, and
the verify runs after them. Where the emulate package's catalogue (`archkit emulate --change`) has the change,
it is used from there; every other change is written here once.

Stage 1 makes DRIFT_CHANGES (one per attribute class) and OPTIONAL_CHANGES (the seed's optional boxes) on
disjoint attributes and runs verify: the drift findings must be exactly their union. Stage 2 then makes
RULE_CHANGES (one per compliance rule) on top and evaluates the rules. Where moto cannot make a change the
way AWS would, the change says how it is made instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from archkit.emulate.changes import CHANGES as CATALOGUE
from archkit.emulate.changes import PUBLIC_SID
from archkit.spec import ArchSpec, load_spec
from archkit.spec.conventions import database_parameter_group_name
from shared import REFERENCE, TODAY, DeployedAccount

Expected = tuple[str, str, str | None, Any, Any]
"""A drift finding: (change, resource, attribute, expected, actual)."""

_REFERENCE: list[ArchSpec] = []


def name(key: str) -> str:
    """The reference's physical name of ``key`` (the scratch account holds the reference)."""
    if not _REFERENCE:
        _REFERENCE.append(load_spec(REFERENCE))
    return _REFERENCE[0].name_of(key)


def _rule_summary(path: str, rule: str) -> str:
    """How verify reads a rule of one of the reference's web ACLs (``archkit.spec.waf``)."""
    from archkit.spec.waf import desired_rule_summaries, web_acls

    spec = load_spec(REFERENCE)
    (acl,) = [a for a in web_acls(spec) if a.path == path]
    return desired_rule_summaries(spec, acl)[rule]


def _only(d: DeployedAccount, resource_type: str) -> str:
    """The reference of the one resource of a type the templates cannot tag (an authorizer, a listener)."""
    (res,) = d.executor.of_type(resource_type)
    return str(res.ref)


@functools.cache
def catalogue(change: str) -> Callable[[DeployedAccount, ArchSpec], None]:
    """A change of the emulate package's catalogue, made on a deployed account (one function per change, so
    a change listed in both stages is made once)."""

    def apply(d: DeployedAccount, spec: ArchSpec) -> None:
        CATALOGUE[change].apply(d.account, spec)

    return apply


@dataclass(frozen=True)
class Change:
    id: str
    apply: Callable[[DeployedAccount, ArchSpec], None]
    drift: tuple[Expected, ...]
    rule: tuple[str, str, str | None] | None = None
    """(rule id, resource, attribute) that fails because of the change, if a rule covers it."""


# --- stage 1: one change per attribute class --------------------------------------------------------------


def _gsi(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("dynamodb").update_table(
        TableName=name("main"), GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_status"}}]
    )


def _ttl(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("dynamodb").update_time_to_live(
        TableName=name("main"), TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires_at"}
    )


def _timeout(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("lambda").update_function_configuration(FunctionName=name("add_item"), Timeout=29)


def _architecture(d: DeployedAccount, spec: ArchSpec) -> None:
    # moto's UpdateFunctionCode ignores Architectures: re-create the function as x86_64, as a redeploy would.
    lam = d.client("lambda")
    fn = lam.get_function(FunctionName=name("get_user_id"))
    cfg = fn["Configuration"]
    permissions = json.loads(lam.get_policy(FunctionName=cfg["FunctionName"])["Policy"])["Statement"]
    lam.delete_function(FunctionName=cfg["FunctionName"])
    lam.create_function(
        FunctionName=cfg["FunctionName"],
        Runtime=cfg["Runtime"],
        Role=cfg["Role"],
        Handler=cfg["Handler"],
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        MemorySize=cfg["MemorySize"],
        Timeout=cfg["Timeout"],
        Architectures=["x86_64"],
        Environment=cfg["Environment"],
        TracingConfig=cfg["TracingConfig"],
        EphemeralStorage=cfg["EphemeralStorage"],
        Layers=[layer["Arn"] for layer in cfg["Layers"]],
        VpcConfig={k: cfg["VpcConfig"][k] for k in ("SubnetIds", "SecurityGroupIds")},
        Tags=fn["Tags"],
    )
    lam.put_function_concurrency(FunctionName=cfg["FunctionName"], ReservedConcurrentExecutions=50)
    for st in permissions:  # the API's invoke permissions, as the stack keeps them
        lam.add_permission(
            FunctionName=cfg["FunctionName"],
            StatementId=st["Sid"],
            Action=st["Action"],
            Principal=st["Principal"]["Service"],
            SourceArn=st["Condition"]["ArnLike"]["AWS:SourceArn"],
        )


def _concurrency(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("lambda").delete_function_concurrency(FunctionName=name("get_items"))


def _env(d: DeployedAccount, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    env = lam.get_function_configuration(FunctionName=name("authorizer"))["Environment"]["Variables"]
    lam.update_function_configuration(
        FunctionName=name("authorizer"), Environment={"Variables": {**env, "ENVIRONMENT": "staging"}}
    )


def _layers(d: DeployedAccount, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    layers = lam.get_function_configuration(FunctionName=name("add_user"))["Layers"]
    lam.update_function_configuration(FunctionName=name("add_user"), Layers=[layers[0]["Arn"]])


def _tag(d: DeployedAccount, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    arn = lam.get_function(FunctionName=name("auth"))["Configuration"]["FunctionArn"]
    lam.untag_resource(Resource=arn, TagKeys=["Owner"])


def _lifecycle(d: DeployedAccount, spec: ArchSpec) -> None:
    s3 = d.client("s3")
    rules = s3.get_bucket_lifecycle_configuration(Bucket=name("assets"))["Rules"]
    kept = [r for r in rules if r["ID"] != "expire-temp-uploads"]
    s3.put_bucket_lifecycle_configuration(Bucket=name("assets"), LifecycleConfiguration={"Rules": kept})


def _policy_statement(d: DeployedAccount, spec: ArchSpec) -> None:
    s3 = d.client("s3")
    policy = json.loads(s3.get_bucket_policy(Bucket=name("assets"))["Policy"])
    policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != "BackupRoleWriteBackups"]
    s3.put_bucket_policy(Bucket=name("assets"), Policy=json.dumps(policy))


def _bucket_encryption(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("s3").put_bucket_encryption(
        Bucket=name("assets"),
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )


def _route(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("ec2").delete_route(
        RouteTableId=d.ref("network.private_subnets.1.route_table", "AWS::EC2::RouteTable"),
        DestinationCidrBlock="0.0.0.0/0",
    )


def _endpoint(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("ec2").delete_vpc_endpoints(
        VpcEndpointIds=[d.ref("network.endpoints.ssm", "AWS::EC2::VPCEndpoint")]
    )


def _flow_logs(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("ec2").delete_flow_logs(FlowLogIds=[d.ref("network.flow_logs", "AWS::EC2::FlowLog")])


def _method_added(d: DeployedAccount, spec: ArchSpec) -> None:
    gw = d.client("apigateway")
    api = d.ref("api", "AWS::ApiGateway::RestApi")
    rid = next(r["id"] for r in gw.get_resources(restApiId=api)["items"] if r["path"] == "/api/items")
    gw.put_method(restApiId=api, resourceId=rid, httpMethod="PATCH", authorizationType="NONE")
    function = f"arn:aws:lambda:us-east-1:{d.account_id}:function:{name('add_item')}"
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function}/invocations"
    gw.put_integration(
        restApiId=api,
        resourceId=rid,
        httpMethod="PATCH",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri,
    )


def _authorizer_removed(d: DeployedAccount, spec: ArchSpec) -> None:
    # moto has no UpdateMethod: put the method again without its authorizer, as a console edit would.
    gw = d.client("apigateway")
    api = d.ref("api", "AWS::ApiGateway::RestApi")
    rid = next(r["id"] for r in gw.get_resources(restApiId=api)["items"] if r["path"] == "/api/users")
    method = gw.get_method(restApiId=api, resourceId=rid, httpMethod="GET")
    integration = method["methodIntegration"]
    gw.delete_method(restApiId=api, resourceId=rid, httpMethod="GET")
    gw.put_method(
        restApiId=api,
        resourceId=rid,
        httpMethod="GET",
        authorizationType="NONE",
        requestValidatorId=method["requestValidatorId"],
    )
    gw.put_integration(
        restApiId=api,
        resourceId=rid,
        httpMethod="GET",
        type=integration["type"],
        integrationHttpMethod="POST",
        uri=integration["uri"],
    )


def _health_answer(d: DeployedAccount, spec: ArchSpec) -> None:
    # The mock health check made to answer something else (a console edit of its integration response).
    gw = d.client("apigateway")
    api = d.ref("api", "AWS::ApiGateway::RestApi")
    rid = next(r["id"] for r in gw.get_resources(restApiId=api)["items"] if r["path"] == "/api/health")
    gw.put_integration_response(
        restApiId=api,
        resourceId=rid,
        httpMethod="GET",
        statusCode="200",
        responseTemplates={"application/json": '{"status":"down"}'},
    )


def _throttling(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("apigateway").update_stage(
        restApiId=d.ref("api", "AWS::ApiGateway::RestApi"),
        stageName="v1",
        patchOperations=[{"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "500"}],
    )


def _quota(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("apigateway").update_usage_plan(
        usagePlanId=d.ref("api.usage_plans.partners", "AWS::ApiGateway::UsagePlan"),
        patchOperations=[{"op": "replace", "path": "/quota/limit", "value": "5000"}],
    )


def _api_key(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("apigateway").update_api_key(
        apiKey=d.ref("api.api_keys.partner", "AWS::ApiGateway::ApiKey"),
        patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}],
    )


def _web_acl(d: DeployedAccount, spec: ArchSpec) -> None:
    cf = d.client("cloudfront", "us-east-1")
    got = cf.get_distribution_config(Id=d.ref("edge.cdn", "AWS::CloudFront::Distribution"))
    config = got["DistributionConfig"]
    config["WebACLId"] = ""
    cf.update_distribution(
        Id=d.ref("edge.cdn", "AWS::CloudFront::Distribution"), IfMatch=got["ETag"], DistributionConfig=config
    )


def _geo_rule(d: DeployedAccount, spec: ArchSpec) -> None:
    waf = d.client("wafv2", "us-east-1")
    got = waf.get_web_acl(
        Name=name("web_acl"), Scope="CLOUDFRONT", Id=d.attr("edge.waf", "AWS::WAFv2::WebACL", "Id")
    )
    acl = got["WebACL"]
    waf.update_web_acl(
        Name=acl["Name"],
        Scope="CLOUDFRONT",
        Id=acl["Id"],
        DefaultAction=acl["DefaultAction"],
        Rules=[r for r in acl["Rules"] if r["Name"] != "GeoBlock"],
        VisibilityConfig=acl["VisibilityConfig"],
        LockToken=got["LockToken"],
    )


def _record(d: DeployedAccount, spec: ArchSpec) -> None:
    r53 = d.client("route53")
    zone = d.ref("edge.dns", "AWS::Route53::HostedZone")
    rec = next(
        r
        for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
        if r["Type"] == "AAAA"
    )
    r53.change_resource_record_sets(
        HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": rec}]}
    )


def _unmanaged_table(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("dynamodb").create_table(
        TableName=name("orphan"),
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "Project", "Value": "shop"}, {"Key": "Environment", "Value": "prod"}],
    )


ROUTE_GET_USERS = "methods[GET /api/users]"
PATCH_ITEMS = {
    "function": "functions.add_item",
    "integration": "proxy",
    "authorizer": None,
    "api_key_required": False,
    "validation": "none",
    "request_model": None,
    "request_parameters": {},
    "request_templates": {},
    "response_templates": {},
    "vpc_link": None,
    "integration_target": None,
    "mock_status": None,
}


def _budget_whole_project(d: DeployedAccount, spec: Any) -> None:
    """The budget re-created counting the whole project, every environment (AWS would update it in place;
    moto has no UpdateBudget): only its cost filter differs."""
    account = d.client("sts").get_caller_identity()["Account"]
    budgets = d.client("budgets")
    budget = budgets.describe_budget(AccountId=account, BudgetName=spec.name_of("monthly"))["Budget"]
    notes = budgets.describe_notifications_for_budget(AccountId=account, BudgetName=budget["BudgetName"])
    emails = spec.cost.budgets["monthly"].emails
    budgets.delete_budget(AccountId=account, BudgetName=budget["BudgetName"])
    budget["FilterExpression"] = {
        "Tags": {"Key": "Project", "Values": [spec.project], "MatchOptions": ["EQUALS"]}
    }
    budgets.create_budget(
        AccountId=account,
        Budget={
            k: v
            for k, v in budget.items()
            if k in ("BudgetName", "BudgetLimit", "TimeUnit", "BudgetType", "FilterExpression", "Metrics")
        },
        NotificationsWithSubscribers=[
            {"Notification": n, "Subscribers": [{"SubscriptionType": "EMAIL", "Address": e} for e in emails]}
            for n in notes["Notifications"]
        ],
    )


DRIFT_CHANGES: tuple[Change, ...] = (
    Change(
        "pitr-off",
        catalogue("pitr-off"),
        (("changed", "tables.main", "point_in_time_recovery", True, False),),
    ),
    Change(
        "gsi-deleted",
        _gsi,
        (
            (
                "changed",
                "tables.main",
                "indexes.by_status",
                {
                    "partition_key": {"name": "status", "type": "string"},
                    "sort_key": {"name": "created_at", "type": "string"},
                    "projection": "all",
                    "non_key_attributes": [],
                    "read_capacity": None,
                    "write_capacity": None,
                },
                None,
            ),
        ),
    ),
    Change("ttl-off", _ttl, (("changed", "tables.main", "ttl_attribute", "expires_at", None),)),
    Change("memory", catalogue("memory"), (("changed", "functions.get_user", "memory", 512, 1024),)),
    Change("timeout", _timeout, (("changed", "functions.add_item", "timeout", 10, 29),)),
    Change(
        "architecture",
        _architecture,
        (("changed", "functions.get_user_id", "architecture", "arm64", "x86_64"),),
    ),
    Change(
        "reserved-concurrency",
        _concurrency,
        (("changed", "functions.get_items", "reserved_concurrency", 50, None),),
    ),
    Change(
        "env-var", _env, (("changed", "functions.authorizer", "environment.ENVIRONMENT", "prod", "staging"),)
    ),
    Change(
        "layer-detached",
        _layers,
        (
            (
                "changed",
                "functions.add_user",
                "layers",
                ["layers.common", "layers.aws_sdk"],
                ["layers.common"],
            ),
        ),
    ),
    Change("tag-removed", _tag, (("changed", "functions.auth", "tags.Owner", "platform-team", None),)),
    Change(
        "log-retention",
        catalogue("log-retention"),
        (("changed", "functions.get_user", "log_retention_days", 30, 7),),
    ),
    Change(
        "lifecycle-rule-removed",
        _lifecycle,
        (
            (
                "changed",
                "buckets.assets",
                "lifecycle_rules.expire-temp-uploads",
                {
                    "prefix": "uploads/temp/",
                    "enabled": True,
                    "transitions": [],
                    "expiration_days": 7,
                    "noncurrent_expiration_days": None,
                    "abort_incomplete_multipart_days": 7,
                },
                None,
            ),
        ),
    ),
    Change(
        "public-access-block-deleted",
        catalogue("public-access-block"),
        tuple(
            ("changed", "buckets.assets", f"public_access_block.{flag}", True, False)
            for flag in (
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            )
        ),
    ),
    Change(
        "policy-statement-removed",
        _policy_statement,
        (
            (
                "changed",
                "buckets.assets",
                "policy_statements.BackupRoleWriteBackups",
                {
                    "effect": "Allow",
                    "principal": "security.roles.backup",
                    "access": "write",
                    "prefix": "backups/",
                },
                None,
            ),
        ),
    ),
    Change(
        "versioning-suspended",
        catalogue("versioning-suspended"),
        (("changed", "buckets.assets", "versioning", True, False),),
    ),
    Change(
        "bucket-encryption",
        _bucket_encryption,
        (("changed", "buckets.assets", "encryption", "s3_managed", "kms"),),
    ),
    Change(
        "route-deleted",
        _route,
        (
            (
                "changed",
                "network.private_subnets.1.route_table",
                "routes[0.0.0.0/0]",
                "network.nat_gateways.1",
                None,
            ),
        ),
    ),
    Change(
        "sg-rule-added",
        catalogue("ssh-opened"),
        (("changed", "network.security_groups.lambda", "ingress[tcp 22 cidr 0.0.0.0/0]", None, "debug"),),
    ),
    Change(
        "endpoint-deleted",
        _endpoint,
        (("missing", "network.endpoints.ssm", None, "shop-prod-ssm-endpoint", None),),
    ),
    Change(
        "flow-logs-deleted",
        _flow_logs,
        (("missing", "network.flow_logs", None, "shop-prod-flow-logs", None),),
    ),
    Change(
        "method-added", _method_added, (("changed", "api", "methods[PATCH /api/items]", None, PATCH_ITEMS),)
    ),
    Change(
        "authorizer-removed",
        _authorizer_removed,
        (("changed", "api", f"{ROUTE_GET_USERS}.authorizer", "api.authorizers.jwt", None),),
    ),
    Change(
        "mock-answer-changed",
        _health_answer,
        (
            (
                "changed",
                "api",
                "methods[GET /api/health].response_templates[application/json]",
                '{"status":"ok"}',
                '{"status":"down"}',
            ),
        ),
    ),
    Change("throttling", _throttling, (("changed", "api", "throttling.rate", 10000.0, 500.0),)),
    Change(
        "budget-whole-project",
        _budget_whole_project,
        (
            (
                "changed",
                "cost.budgets.monthly",
                "cost_filter",
                ["Environment=prod", "Project=shop"],
                ["Project=shop"],
            ),
        ),
    ),
    Change(
        "usage-plan-quota", _quota, (("changed", "api.usage_plans.partners", "quota.limit", 1000000, 5000),)
    ),
    Change("api-key-disabled", _api_key, (("changed", "api.api_keys.partner", "enabled", True, False),)),
    Change("web-acl-detached", _web_acl, (("changed", "edge.cdn", "web_acl", "edge.waf", None),)),
    Change(
        "waf-geo-rule-removed",
        _geo_rule,
        (
            ("changed", "edge.waf", "geo_block", ["CU", "IR", "KP", "SY"], []),
            ("changed", "edge.waf", "rules.GeoBlock", _rule_summary("edge.waf", "GeoBlock"), None),
        ),
    ),
    Change(
        "dns-record-deleted",
        _record,
        (("changed", "edge.dns", "records[AAAA shop.example.com]", "edge.cdn", None),),
    ),
    Change(
        "secret-rotation-off",
        catalogue("rotation-off"),
        (("changed", "secrets.db_password", "rotation_enabled", True, False),),
    ),
    Change(
        "kms-rotation-off",
        catalogue("kms-rotation-off"),
        (("changed", "security.kms_keys.data", "rotation", True, False),),
    ),
    Change(
        "unmanaged-table",
        _unmanaged_table,
        (("unmanaged", "shop-prod-orphan", None, None, "shop-prod-orphan"),),
    ),
)


# --- stage 1: the seed's optional boxes ------------------------------------------------------------------

# the database ------------------------------------------------------------------------------------------


def _db(d: DeployedAccount) -> dict[str, Any]:
    return dict(d.client("rds").describe_db_instances(DBInstanceIdentifier=name("db"))["DBInstances"][0])


def _db_recreated_unencrypted(d: DeployedAccount, spec: ArchSpec) -> None:
    """Storage encryption cannot be switched off in place: delete the instance and create it again with
    everything else as it was (what restoring an unencrypted snapshot would give)."""
    rds = d.client("rds")
    db = _db(d)
    rds.modify_db_instance(DBInstanceIdentifier=name("db"), DeletionProtection=False, ApplyImmediately=True)
    rds.delete_db_instance(DBInstanceIdentifier=name("db"), SkipFinalSnapshot=True)
    rds.create_db_instance(
        DBInstanceIdentifier=db["DBInstanceIdentifier"],
        Engine=db["Engine"],
        EngineVersion=db["EngineVersion"],
        DBInstanceClass=db["DBInstanceClass"],
        AllocatedStorage=db["AllocatedStorage"],
        StorageType=db["StorageType"],
        MultiAZ=db["MultiAZ"],
        Port=db["Endpoint"]["Port"],
        DBName=db["DBName"],
        MasterUsername=db["MasterUsername"],
        MasterUserPassword="restored-by-the-test",
        StorageEncrypted=False,
        DBSubnetGroupName=db["DBSubnetGroup"]["DBSubnetGroupName"],
        DBParameterGroupName=db["DBParameterGroups"][0]["DBParameterGroupName"],
        VpcSecurityGroupIds=[g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]],
        BackupRetentionPeriod=db["BackupRetentionPeriod"],
        DeletionProtection=True,
        EnableIAMDatabaseAuthentication=db["IAMDatabaseAuthenticationEnabled"],
        PubliclyAccessible=db["PubliclyAccessible"],
        EnableCloudwatchLogsExports=db["EnabledCloudwatchLogsExports"],
        AutoMinorVersionUpgrade=db["AutoMinorVersionUpgrade"],
        CopyTagsToSnapshot=db["CopyTagsToSnapshot"],
        Tags=db["TagList"],
    )


def _db_modified(**changes: Any) -> Callable[[DeployedAccount, ArchSpec], None]:
    def apply(d: DeployedAccount, spec: ArchSpec) -> None:
        d.client("rds").modify_db_instance(DBInstanceIdentifier=name("db"), ApplyImmediately=True, **changes)

    return apply


# --- the load balancer -------------------------------------------------------------------------------------


def _alb_attribute(key: str, value: str) -> Callable[[DeployedAccount, ArchSpec], None]:
    def apply(d: DeployedAccount, spec: ArchSpec) -> None:
        d.client("elbv2").modify_load_balancer_attributes(
            LoadBalancerArn=d.ref("network.alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
            Attributes=[{"Key": key, "Value": value}],
        )

    return apply


def _listener_removed(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("elbv2").delete_listener(ListenerArn=_only(d, "AWS::ElasticLoadBalancingV2::Listener"))


def _http_listener_added(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("elbv2").create_listener(
        LoadBalancerArn=d.ref("network.alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
        Port=80,
        Protocol="HTTP",
        DefaultActions=[
            {
                "Type": "forward",
                "TargetGroupArn": d.ref(
                    "network.alb.targets.get_items", "AWS::ElasticLoadBalancingV2::TargetGroup"
                ),
            }
        ],
    )


def _target_removed(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("elbv2").deregister_targets(
        TargetGroupArn=d.ref("network.alb.targets.get_items", "AWS::ElasticLoadBalancingV2::TargetGroup"),
        Targets=[{"Id": d.attr("functions.get_items", "AWS::Lambda::Function", "Arn")}],
    )


# --- the bastion host --------------------------------------------------------------------------------------


def _bastion_id(d: DeployedAccount) -> str:
    reservations = d.client("ec2").describe_instances(
        Filters=[
            {"Name": "tag:Name", "Values": [name("bastion")]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )["Reservations"]
    return str(reservations[0]["Instances"][0]["InstanceId"])


def _bastion_recreated_unencrypted(d: DeployedAccount, spec: ArchSpec) -> None:
    """A volume cannot be decrypted in place: replace the host by one whose root volume is not encrypted,
    everything else as it was."""
    ec2 = d.client("ec2")
    old = ec2.describe_instances(InstanceIds=[_bastion_id(d)])["Reservations"][0]["Instances"][0]
    ec2.modify_instance_attribute(InstanceId=old["InstanceId"], DisableApiTermination={"Value": False})
    ec2.terminate_instances(InstanceIds=[old["InstanceId"]])
    nic = old["NetworkInterfaces"][0]
    new = ec2.run_instances(
        ImageId=old["ImageId"],
        MinCount=1,
        MaxCount=1,
        InstanceType=old["InstanceType"],
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": old["SubnetId"],
                "Groups": [g["GroupId"] for g in nic["Groups"]],
                "AssociatePublicIpAddress": "PublicIpAddress" in old,  # as it was: only the volume changes
            }
        ],
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1},
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp3", "Encrypted": False}}
        ],
        Monitoring={"Enabled": True},
        EbsOptimized=True,
        IamInstanceProfile={"Arn": old["IamInstanceProfile"]["Arn"]},
        TagSpecifications=[{"ResourceType": "instance", "Tags": old["Tags"]}],
    )["Instances"][0]
    ec2.modify_instance_attribute(InstanceId=new["InstanceId"], DisableApiTermination={"Value": True})


def _imdsv1_allowed(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("ec2").modify_instance_metadata_options(InstanceId=_bastion_id(d), HttpTokens="optional")


def _instance_type(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("ec2").modify_instance_attribute(InstanceId=_bastion_id(d), InstanceType={"Value": "t4g.small"})


def _ssh_opened(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("ec2").authorize_security_group_ingress(
        GroupId=d.ref("network.security_groups.bastion", "AWS::EC2::SecurityGroup"),
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )


# --- the VPC link and the functions using the database ------------------------------------------------------


def _vpc_link_deleted(d: DeployedAccount, spec: ArchSpec) -> None:
    d.client("apigatewayv2").delete_vpc_link(VpcLinkId=d.ref("api.vpc_link", "AWS::ApiGatewayV2::VpcLink"))


def _db_host_changed(d: DeployedAccount, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    env = lam.get_function_configuration(FunctionName=name("auth"))["Environment"]["Variables"]
    lam.update_function_configuration(
        FunctionName=name("auth"), Environment={"Variables": {**env, "DB_HOST": "db.internal.example.com"}}
    )


OPTIONAL_CHANGES: tuple[Change, ...] = (
    # Re-creations first: the changes below act on the new instances.
    Change(
        "db-unencrypted",
        _db_recreated_unencrypted,
        (
            ("changed", "rds", "storage_encrypted", True, False),
            ("changed", "rds", "kms_key", "security.kms_keys.data", None),
        ),
        ("ARCH-RDS-001", "rds", "storage_encrypted"),
    ),
    Change(
        "bastion-ebs-unencrypted",
        _bastion_recreated_unencrypted,
        (("changed", "network.bastion", "ebs_encrypted", True, False),),
        ("ARCH-EC2-002", "network.bastion", "ebs_encrypted"),
    ),
    Change(
        "db-public",
        catalogue("rds-public"),
        (("changed", "rds", "publicly_accessible", False, True),),
        ("ARCH-RDS-002", "rds", "publicly_accessible"),
    ),
    Change(
        "db-backup-retention",
        _db_modified(BackupRetentionPeriod=3),
        (("changed", "rds", "backup_retention_days", 7, 3),),
        ("ARCH-RDS-003", "rds", "backup_retention_days"),
    ),
    Change(
        "db-deletion-protection-off",
        _db_modified(DeletionProtection=False),
        (("changed", "rds", "deletion_protection", True, False),),
        ("ARCH-RDS-004", "rds", "deletion_protection"),
    ),
    Change(
        "db-multi-az-off",
        _db_modified(MultiAZ=False),
        (("changed", "rds", "multi_az", True, False),),
        ("ARCH-RDS-005", "rds", "multi_az"),
    ),
    Change(
        "db-iam-auth-off",
        _db_modified(EnableIAMDatabaseAuthentication=False),
        (("changed", "rds", "iam_authentication", True, False),),
        ("ARCH-RDS-006", "rds", "iam_authentication"),
    ),
    Change(
        "alb-invalid-headers-kept",
        _alb_attribute("routing.http.drop_invalid_header_fields.enabled", "false"),
        (("changed", "network.alb", "drop_invalid_headers", True, False),),
        ("ARCH-ELB-001", "network.alb", "drop_invalid_headers"),
    ),
    Change(
        "alb-access-logs-off",
        _alb_attribute("access_logs.s3.enabled", "false"),
        (("changed", "network.alb", "access_logs", True, False),),
        ("ARCH-ELB-003", "network.alb", "access_logs"),
    ),
    Change(
        "listener-removed",
        _listener_removed,
        (("missing", "network.alb.listener", None, "shop-prod-alb:443", None),),
    ),
    Change(
        "http-listener-added",
        _http_listener_added,
        (("changed", "network.alb", "extra_listeners", [], ["HTTP:80"]),),
        # drift only: the reference's load balancer is internal (issue 14), where ARCH-ELB-002 allows HTTP
    ),
    Change(
        "target-removed",
        _target_removed,
        (("changed", "network.alb.targets.get_items", "targets", ["functions.get_items"], []),),
    ),
    Change(
        "imdsv1-allowed",
        _imdsv1_allowed,
        (("changed", "network.bastion", "imdsv2_required", True, False),),
        ("ARCH-EC2-001", "network.bastion", "imdsv2_required"),
    ),
    Change(
        "instance-type",
        _instance_type,
        (("changed", "network.bastion", "instance_type", "t4g.nano", "t4g.small"),),
    ),
    Change(
        "bastion-ssh-opened",
        _ssh_opened,
        (("changed", "network.security_groups.bastion", "ingress[tcp 22 cidr 0.0.0.0/0]", None, ""),),
        ("ARCH-SG-001", "network.security_groups.bastion", "ingress"),
    ),
    Change(
        "vpc-link-deleted",
        _vpc_link_deleted,
        (("missing", "api.vpc_link", None, "shop-prod-vpc-link", None),),
    ),
    Change(
        "db-host-changed",
        _db_host_changed,
        (("changed", "functions.auth", "environment.DB_HOST", "${rds.address}", "db.internal.example.com"),),
    ),
)


# --- public exposure (issue 14): on the reference account, reverted ---------------------------------------

PUBLIC_ALL = "resource_policy[Allow *]"

EXPOSURE_CHANGES: tuple[Change, ...] = (
    Change(
        "function-public",
        catalogue("function-public"),
        (
            (
                "changed",
                "functions.get_user",
                PUBLIC_ALL,
                None,
                {"actions": ["lambda:InvokeFunction"], "conditions": []},
            ),
        ),
        ("ARCH-LAM-007", "functions.get_user", PUBLIC_ALL),
    ),
    Change(
        "queue-public",
        catalogue("queue-public"),
        (
            (
                "changed",
                "tables.main.stream_failures",
                "policy[Allow *]",
                None,
                {"actions": ["sqs:ReceiveMessage", "sqs:SendMessage"], "conditions": []},
            ),
        ),
        ("ARCH-SQS-001", "tables.main.stream_failures", "policy[Allow *]"),
    ),
    Change(
        "secret-public",
        catalogue("secret-public"),
        (
            (
                "changed",
                "secrets.db_password",
                PUBLIC_ALL,
                None,
                {"actions": ["secretsmanager:GetSecretValue"], "conditions": []},
            ),
        ),
        ("ARCH-SMG-002", "secrets.db_password", PUBLIC_ALL),
    ),
    Change(
        "bucket-public-read",
        catalogue("bucket-public-read"),
        (
            (
                "changed",
                "buckets.assets",
                f"policy_statements.{PUBLIC_SID}",
                None,
                {"effect": "Allow", "principal": '"*"', "access": "read", "prefix": ""},
            ),
        ),
        ("ARCH-S3-006", "buckets.assets", f"policy_statements.{PUBLIC_SID}.principal"),
    ),
    Change(
        "rds-public",
        catalogue("rds-public"),
        (("changed", "rds", "publicly_accessible", False, True),),
        ("ARCH-RDS-002", "rds", "publicly_accessible"),
    ),
    Change(
        "table-deletion-protection-off",
        catalogue("table-deletion-protection-off"),
        (("changed", "tables.main", "deletion_protection", True, False),),
        ("ARCH-DDB-003", "tables.main", "deletion_protection"),
    ),
)
"""Changes that expose data or code to everyone (or let it be deleted): each must be reported as drift and
as its failing rule (tests/verify/test_verify_exposure.py). Their ids are the catalogue's change names."""


# --- stage 2: one change per compliance rule --------------------------------------------------------------


@dataclass(frozen=True)
class RuleChange:
    """A change to the deployed account that one rule must catch."""

    rule: str
    resource: str
    apply: Callable[[DeployedAccount, ArchSpec], None]
    attribute: str | None = None
    good_resource: str | None = None
    """Where the rule reports on the unchanged account, when that differs (a budget vs `cost.budgets`)."""


def _fn(spec: Any, key: str) -> str:
    return spec.name_of(key)


def _access_logs_off(d: DeployedAccount, spec: Any) -> None:
    d.client("s3").put_bucket_logging(Bucket=spec.name_of("assets"), BucketLoggingStatus={})


def _tls_policy_removed(d: DeployedAccount, spec: Any) -> None:
    d.client("s3").delete_bucket_policy(Bucket=spec.name_of("logs"))


def _backups_kept_hot(d: DeployedAccount, spec: Any) -> None:
    s3 = d.client("s3")
    bucket = spec.name_of("assets")
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    for rule in rules:
        for transition in rule.get("Transitions", []):
            transition["Days"] = 120
        rule.pop("NoncurrentVersionExpiration", None)
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})


def _edit_environment(key: str, edit: Callable[[dict[str, str]], None]) -> Callable[[Any, Any], None]:
    def apply(d: DeployedAccount, spec: Any) -> None:
        lam = d.client("lambda")
        env = lam.get_function_configuration(FunctionName=_fn(spec, key))["Environment"]["Variables"]
        edit(env)
        lam.update_function_configuration(FunctionName=_fn(spec, key), Environment={"Variables": env})

    return apply


def _retention_removed(d: DeployedAccount, spec: Any) -> None:
    d.client("logs").delete_retention_policy(logGroupName=f"/aws/lambda/{_fn(spec, 'add_user')}")


def _wildcard_policy(d: DeployedAccount, spec: Any) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
    }
    d.client("iam").put_role_policy(
        RoleName=f"{_fn(spec, 'auth')}-role", PolicyName="hotfix", PolicyDocument=json.dumps(policy)
    )


def _dynamodb_endpoint_deleted(d: DeployedAccount, spec: Any) -> None:
    d.client("ec2").delete_vpc_endpoints(
        VpcEndpointIds=[d.ref("network.endpoints.dynamodb", "AWS::EC2::VPCEndpoint")]
    )


def _stage_patch(*ops: dict[str, str]) -> Callable[[Any, Any], None]:
    def apply(d: DeployedAccount, spec: Any) -> None:
        d.client("apigateway").update_stage(
            restApiId=d.ref("api", "AWS::ApiGateway::RestApi"),
            stageName=spec.api.stage,
            patchOperations=list(ops),
        )

    return apply


def _recreate_method(path: str, verb: str, **method: Any) -> Callable[[Any, Any], None]:
    """Re-create a method with other settings (moto has no UpdateMethod), keeping its integration."""

    def apply(d: DeployedAccount, spec: Any) -> None:
        gw = d.client("apigateway")
        api_id = d.ref("api", "AWS::ApiGateway::RestApi")
        resources = gw.get_resources(restApiId=api_id, limit=500)["items"]
        resource_id = next(r["id"] for r in resources if r["path"] == path)
        integration = gw.get_integration(restApiId=api_id, resourceId=resource_id, httpMethod=verb)
        gw.delete_method(restApiId=api_id, resourceId=resource_id, httpMethod=verb)
        gw.put_method(restApiId=api_id, resourceId=resource_id, httpMethod=verb, **method)
        gw.put_integration(
            restApiId=api_id,
            resourceId=resource_id,
            httpMethod=verb,
            type=integration["type"],
            integrationHttpMethod="POST",
            uri=integration["uri"],
        )

    return apply


def _authorizer_of(d: DeployedAccount) -> dict[str, str]:
    return {"authorizationType": "CUSTOM", "authorizerId": _only(d, "AWS::ApiGateway::Authorizer")}


def _api_key_dropped(d: DeployedAccount, spec: Any) -> None:
    """GET /api/items keeps its authorizer but no longer requires the partners' API key."""
    _recreate_method("/api/items", "GET", **_authorizer_of(d), apiKeyRequired=False)(d, spec)


def _validation_dropped(d: DeployedAccount, spec: Any) -> None:
    """POST /api/users keeps its authorizer but loses its request validator and model."""
    _recreate_method("/api/users", "POST", **_authorizer_of(d))(d, spec)


def _waf_stripped(d: DeployedAccount, spec: Any) -> None:
    """Every rule of the web ACL but the IP reputation list removed (a 'temporary' change during an incident;
    moto ignores an empty rule list, so one rule stays)."""
    waf = d.client("wafv2", "us-east-1")
    summary = next(
        a for a in waf.list_web_acls(Scope="CLOUDFRONT")["WebACLs"] if a["Name"] == spec.name_of("web-acl")
    )
    found = waf.get_web_acl(Name=summary["Name"], Scope="CLOUDFRONT", Id=summary["Id"])
    acl = found["WebACL"]
    waf.update_web_acl(
        Name=acl["Name"],
        Scope="CLOUDFRONT",
        Id=acl["Id"],
        DefaultAction=acl["DefaultAction"],
        Rules=[
            r
            for r in acl["Rules"]
            if r["Statement"].get("ManagedRuleGroupStatement", {}).get("Name")
            == "AWSManagedRulesAmazonIpReputationList"
        ],
        VisibilityConfig=acl["VisibilityConfig"],
        LockToken=found["LockToken"],
    )


def _distribution_weakened(d: DeployedAccount, spec: Any) -> None:
    """The distribution detached from WAF, served over HTTP and TLS 1.0, uncompressed and unlogged."""
    cf = d.client("cloudfront", "us-east-1")
    found = cf.get_distribution_config(Id=d.ref("edge.cdn", "AWS::CloudFront::Distribution"))
    config = found["DistributionConfig"]
    config["WebACLId"] = ""
    config["Logging"] = {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""}
    config["ViewerCertificate"]["MinimumProtocolVersion"] = "TLSv1"
    config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"
    config["DefaultCacheBehavior"]["Compress"] = False
    cf.update_distribution(
        Id=d.ref("edge.cdn", "AWS::CloudFront::Distribution"),
        IfMatch=found["ETag"],
        DistributionConfig=config,
    )


def _out_of_vpc(d: DeployedAccount, spec: Any) -> None:
    d.client("lambda").update_function_configuration(
        FunctionName=_fn(spec, "add_item"), VpcConfig={"SubnetIds": [], "SecurityGroupIds": []}
    )


def _bucket_encryption_deleted(d: DeployedAccount, spec: Any) -> None:
    d.client("s3").delete_bucket_encryption(Bucket=spec.name_of("assets"))


def _stream_destination_removed(d: DeployedAccount, spec: Any) -> None:
    lam = d.client("lambda")
    mapping = lam.list_event_source_mappings(FunctionName=_fn(spec, "process_stream"))["EventSourceMappings"][
        0
    ]
    lam.update_event_source_mapping(UUID=mapping["UUID"], DestinationConfig={"OnFailure": {}})


def _noop(d: DeployedAccount, spec: Any) -> None:
    """The change is made by another entry (one account change breaks several rules)."""


def _nat_deleted(d: DeployedAccount, spec: Any) -> None:
    d.client("ec2").delete_nat_gateway(NatGatewayId=d.ref("network.nat_gateways.2", "AWS::EC2::NatGateway"))


def _budget_deleted(d: DeployedAccount, spec: Any) -> None:
    account = d.client("sts").get_caller_identity()["Account"]
    d.client("budgets").delete_budget(AccountId=account, BudgetName=spec.name_of("monthly"))


def _stage_web_acl_removed(d: DeployedAccount, spec: Any) -> None:
    """The stage's regional web ACL detached (with the distribution's, by ARCH-CFR-001's change): nothing
    filters the API any more."""
    api_id = d.ref("api", "AWS::ApiGateway::RestApi")
    stage = f"arn:aws:apigateway:{spec.region}::/restapis/{api_id}/stages/{spec.api.stage}"
    d.client("wafv2").disassociate_web_acl(ResourceArn=stage)


def _service_permission_unscoped(d: DeployedAccount, spec: Any) -> None:
    """EventBridge allowed to invoke the rotation function, for any account's rules (no source condition)."""
    d.client("lambda").add_permission(
        FunctionName=_fn(spec, "rotate_secret"),
        StatementId="events-invoke",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
    )


def _default_group_opened(d: DeployedAccount, spec: Any) -> None:
    ec2 = d.client("ec2")
    vpc = d.ref("network.vpc", "AWS::EC2::VPC")
    (group,) = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group["GroupId"]}]}],
    )


def _waf_logging_off(d: DeployedAccount, spec: Any) -> None:
    d.client("wafv2", "us-east-1").delete_logging_configuration(
        ResourceArn=d.attr("edge.waf", "AWS::WAFv2::WebACL", "Arn")
    )


def _database_tls_optional(d: DeployedAccount, spec: Any) -> None:
    d.client("rds").modify_db_parameter_group(
        DBParameterGroupName=database_parameter_group_name(spec),
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate"}],
    )


def _public_ip_attached(d: DeployedAccount, spec: Any) -> None:
    ec2 = d.client("ec2")
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=address, InstanceId=_bastion_id(d))  # stage 1 re-created the bastion


RULE_CHANGES = [
    RuleChange("ARCH-DDB-001", "tables.main", catalogue("pitr-off")),
    RuleChange(
        "ARCH-DDB-003", "tables.main", catalogue("table-deletion-protection-off"), "deletion_protection"
    ),
    RuleChange(
        "ARCH-S3-006",
        "buckets.assets",
        catalogue("bucket-public-read"),
        f"policy_statements.{PUBLIC_SID}.principal",
    ),
    RuleChange(
        "ARCH-LAM-007", "functions.get_user", catalogue("function-public"), "resource_policy[Allow *]"
    ),
    RuleChange("ARCH-SQS-001", "tables.main.stream_failures", catalogue("queue-public"), "policy[Allow *]"),
    RuleChange("ARCH-SMG-002", "secrets.db_password", catalogue("secret-public"), "resource_policy[Allow *]"),
    RuleChange(
        "ARCH-LAM-008",
        "functions.rotate_secret",
        _service_permission_unscoped,
        "resource_policy[Allow events.amazonaws.com].conditions",
    ),
    RuleChange("ARCH-VPC-004", "network.vpc", _default_group_opened, "default_security_group_open"),
    RuleChange("ARCH-WAF-007", "edge.waf", _waf_logging_off, "logging"),
    RuleChange("ARCH-RDS-007", "rds", _database_tls_optional, "require_tls"),
    RuleChange("ARCH-EC2-003", "network.bastion", _public_ip_attached, "public_ip"),
    RuleChange("ARCH-S3-001", "buckets.assets", catalogue("public-access-block")),
    RuleChange("ARCH-S3-004", "buckets.assets", catalogue("versioning-suspended")),
    RuleChange("ARCH-S3-005", "buckets.assets", _access_logs_off),
    RuleChange("ARCH-S3-003", "buckets.logs", _tls_policy_removed),
    RuleChange("ARCH-COST-002", "buckets.assets", _backups_kept_hot),
    RuleChange("ARCH-KMS-001", "security.kms_keys.data", catalogue("kms-rotation-off")),
    RuleChange("ARCH-SMG-001", "secrets.db_password", catalogue("rotation-off")),
    RuleChange("ARCH-LAM-004", "functions.get_items", _concurrency),
    RuleChange(
        "ARCH-LAM-002",
        "functions.get_user",
        _edit_environment("get_user", lambda env: env.update(DB_PASSWORD="hunter2-hunter2")),
        "environment.DB_PASSWORD",
    ),
    RuleChange(
        "ARCH-LAM-003",
        "functions.add_item",
        _edit_environment("add_item", lambda env: env.update(API_KEYS_SECRET_ARN="see-the-wiki")),
        "environment.API_KEYS_SECRET_ARN",
    ),
    RuleChange("ARCH-LAM-006", "functions.add_user", _retention_removed),
    RuleChange("ARCH-IAM-001", "functions.auth", _wildcard_policy),
    RuleChange("ARCH-VPC-001", "network.vpc", _flow_logs),
    RuleChange("ARCH-SG-001", "network.security_groups.lambda", catalogue("ssh-opened"), "ingress"),
    RuleChange("ARCH-VPC-002", "network.vpc", _dynamodb_endpoint_deleted, "endpoints.dynamodb"),
    RuleChange(
        "ARCH-APIG-008", "api", _stage_patch({"op": "replace", "path": "/tracingEnabled", "value": "false"})
    ),
    RuleChange(
        "ARCH-APIG-005",
        "api",
        _stage_patch({"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"}),
    ),
    RuleChange(
        "ARCH-APIG-001",
        "api",
        _recreate_method("/api/users", "GET", authorizationType="NONE"),
        "methods.GET /api/users.authorizer",
    ),
    RuleChange("ARCH-APIG-006", "api", _api_key_dropped, "methods.GET /api/items.api_key_required"),
    RuleChange("ARCH-APIG-002", "api", _validation_dropped, "methods.POST /api/users.validation"),
    RuleChange("ARCH-APIG-004", "api", _stage_patch({"op": "remove", "path": "/accessLogSettings"})),
    RuleChange("ARCH-WAF-001", "edge.waf", _waf_stripped),
    RuleChange("ARCH-WAF-002", "edge.waf", _noop),
    RuleChange("ARCH-WAF-003", "edge.waf", _noop),
    RuleChange("ARCH-WAF-004", "edge.waf", _noop),
    RuleChange("ARCH-WAF-005", "edge.waf", _noop),
    RuleChange("ARCH-WAF-006", "edge.waf", _noop),
    RuleChange("ARCH-CFR-001", "edge.cdn", _distribution_weakened),
    RuleChange("ARCH-CFR-002", "edge.cdn", _noop),
    RuleChange("ARCH-CFR-003", "edge.cdn", _noop),
    RuleChange("ARCH-CFR-004", "edge.cdn", _noop),
    RuleChange("ARCH-CFR-005", "edge.cdn", _noop),
    RuleChange("ARCH-APIG-007", "api", _stage_web_acl_removed),
    RuleChange(
        "ARCH-APIG-003",
        "api",
        _stage_patch({"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "0"}),
    ),
    RuleChange("ARCH-LAM-001", "functions.add_item", _out_of_vpc),
    RuleChange("ARCH-COST-001", "functions.get_user_id", _architecture),
    RuleChange("ARCH-S3-002", "buckets.assets", _bucket_encryption_deleted),
    RuleChange("ARCH-BAK-001", "buckets.assets", _noop),
    RuleChange("ARCH-LAM-005", "functions.process_stream", _stream_destination_removed),
    RuleChange("ARCH-VPC-003", "network.vpc", _nat_deleted),
    RuleChange("ARCH-COST-004", "tables.main", catalogue("tag-removed")),
    RuleChange("ARCH-COST-005", "cost.budgets", _budget_deleted, good_resource="cost.budgets.monthly"),
]


# --- the runs -----------------------------------------------------------------------------------------------


def rule_results(run: Any, spec: ArchSpec) -> list[Any]:
    """The compliance rules evaluated on what a verify run observed (resources it could not read excluded)."""
    from archkit.verify.rules import evaluate_results

    unread = {f.resource for f in run.report.findings if f.kind == "not_checked" and f.attribute is None}
    return evaluate_results(run.observed, spec, mode="observed", today=TODAY, unreadable=unread)


@dataclass
class ChangedRuns:
    drift: Any
    """verify after stage 1 (``archkit.verify.run.AccountRun``)."""
    drift_rules: list[Any]
    """The rules on what stage 1's run observed."""
    rules: list[Any]
    """The rules after stage 2."""


@pytest.fixture(scope="session")
def changed_runs(scratch_account: DeployedAccount) -> ChangedRuns:
    """Every change of the three lists made on the scratch account, verify run after each stage."""
    d, spec = scratch_account, scratch_account.spec
    made: set[Callable[..., None]] = set()

    def make(changes: Any) -> None:
        for change in changes:
            if change.apply not in made:
                change.apply(d, spec)
                made.add(change.apply)

    make((*OPTIONAL_CHANGES, *DRIFT_CHANGES))  # re-creations of the optional boxes first
    drift = d.verify(regions=("us-west-2",))
    make(RULE_CHANGES)
    rules = rule_results(d.verify(), spec)
    return ChangedRuns(drift, rule_results(drift, spec), rules)


def finding_key(change: str | None, resource: str, attribute: str | None, expected: Any, actual: Any) -> str:
    return json.dumps([change, resource, attribute, expected, actual], sort_keys=True)


def drift_keys(run: Any) -> set[str]:
    return {
        finding_key(f.change, f.resource, f.attribute, f.expected, f.actual)
        for f in run.report.findings
        if f.kind == "drift"
    }
