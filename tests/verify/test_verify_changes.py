"""One change per attribute class, made behind the spec's back to a correctly deployed system; each is found
with its exact resource, attribute, expected and actual values, and nothing else is reported.

All changes are made to one deployment (environment `chg`, its own names and tags) on disjoint attributes,
then verify runs once: every expected finding must be there and the drift findings must be exactly their
union. Where moto cannot make a change the way AWS would, the change says how it is made instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from archkit.spec import ArchSpec
from archkit.verify.emulator import Deployment, provision
from archkit.verify.run import AccountRun

from .conftest import run_verify, spec_variant

ENV = "chg"
Expected = tuple[str, str, str | None, Any, Any]
"""(change, resource, attribute, expected, actual)"""


@dataclass(frozen=True)
class Change:
    id: str
    apply: Callable[[Deployment, ArchSpec], None]
    expected: tuple[Expected, ...]


def name(key: str) -> str:
    return f"shop-{ENV}-{key.replace('_', '-')}"


def _pitr(d: Deployment, spec: ArchSpec) -> None:
    d.client("dynamodb").update_continuous_backups(
        TableName=name("main"), PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )


def _gsi(d: Deployment, spec: ArchSpec) -> None:
    d.client("dynamodb").update_table(
        TableName=name("main"), GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_status"}}]
    )


def _ttl(d: Deployment, spec: ArchSpec) -> None:
    d.client("dynamodb").update_time_to_live(
        TableName=name("main"), TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires_at"}
    )


def _memory(d: Deployment, spec: ArchSpec) -> None:
    d.client("lambda").update_function_configuration(FunctionName=name("get_user"), MemorySize=1024)


def _timeout(d: Deployment, spec: ArchSpec) -> None:
    d.client("lambda").update_function_configuration(FunctionName=name("add_item"), Timeout=29)


def _architecture(d: Deployment, spec: ArchSpec) -> None:
    # moto's UpdateFunctionCode ignores Architectures: re-create the function as x86_64, as a redeploy would.
    lam = d.client("lambda")
    fn = lam.get_function(FunctionName=name("get_user_id"))
    cfg = fn["Configuration"]
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


def _concurrency(d: Deployment, spec: ArchSpec) -> None:
    d.client("lambda").delete_function_concurrency(FunctionName=name("get_items"))


def _env(d: Deployment, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    env = lam.get_function_configuration(FunctionName=name("authorizer"))["Environment"]["Variables"]
    lam.update_function_configuration(
        FunctionName=name("authorizer"), Environment={"Variables": {**env, "ENVIRONMENT": "staging"}}
    )


def _layers(d: Deployment, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    layers = lam.get_function_configuration(FunctionName=name("add_user"))["Layers"]
    lam.update_function_configuration(FunctionName=name("add_user"), Layers=[layers[0]["Arn"]])


def _tag(d: Deployment, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    arn = lam.get_function(FunctionName=name("auth"))["Configuration"]["FunctionArn"]
    lam.untag_resource(Resource=arn, TagKeys=["Owner"])


def _log_retention(d: Deployment, spec: ArchSpec) -> None:
    d.client("logs").put_retention_policy(
        logGroupName=f"/aws/lambda/{name('process_stream')}", retentionInDays=7
    )


def _lifecycle(d: Deployment, spec: ArchSpec) -> None:
    s3 = d.client("s3")
    rules = s3.get_bucket_lifecycle_configuration(Bucket=name("assets"))["Rules"]
    kept = [r for r in rules if r["ID"] != "expire-temp-uploads"]
    s3.put_bucket_lifecycle_configuration(Bucket=name("assets"), LifecycleConfiguration={"Rules": kept})


def _public_access_block(d: Deployment, spec: ArchSpec) -> None:
    d.client("s3").delete_public_access_block(Bucket=name("logs"))


def _policy_statement(d: Deployment, spec: ArchSpec) -> None:
    s3 = d.client("s3")
    policy = json.loads(s3.get_bucket_policy(Bucket=name("assets"))["Policy"])
    policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != "BackupRoleWriteBackups"]
    s3.put_bucket_policy(Bucket=name("assets"), Policy=json.dumps(policy))


def _versioning(d: Deployment, spec: ArchSpec) -> None:
    d.client("s3").put_bucket_versioning(Bucket=name("logs"), VersioningConfiguration={"Status": "Suspended"})


def _bucket_encryption(d: Deployment, spec: ArchSpec) -> None:
    d.client("s3").put_bucket_encryption(
        Bucket=name("assets"),
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )


def _route(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").delete_route(
        RouteTableId=d.ids["network.private_subnets.1.route_table"], DestinationCidrBlock="0.0.0.0/0"
    )


def _sg_rule(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").authorize_security_group_ingress(
        GroupId=d.ids["network.security_groups.endpoints"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )


def _endpoint(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").delete_vpc_endpoints(VpcEndpointIds=[d.ids["network.endpoints.ssm"]])


def _flow_logs(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").delete_flow_logs(FlowLogIds=[d.ids["network.flow_logs"]])


def _method_added(d: Deployment, spec: ArchSpec) -> None:
    gw = d.client("apigateway")
    api = d.ids["api"]
    rid = next(r["id"] for r in gw.get_resources(restApiId=api)["items"] if r["path"] == "/api/items")
    gw.put_method(restApiId=api, resourceId=rid, httpMethod="PATCH", authorizationType="NONE")
    function = f"arn:aws:lambda:us-east-1:{d.account}:function:{name('add_item')}"
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function}/invocations"
    gw.put_integration(
        restApiId=api,
        resourceId=rid,
        httpMethod="PATCH",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri,
    )


def _authorizer_removed(d: Deployment, spec: ArchSpec) -> None:
    # moto has no UpdateMethod: put the method again without its authorizer, as a console edit would.
    gw = d.client("apigateway")
    api = d.ids["api"]
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


def _throttling(d: Deployment, spec: ArchSpec) -> None:
    d.client("apigateway").update_stage(
        restApiId=d.ids["api"],
        stageName="v1",
        patchOperations=[{"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "500"}],
    )


def _quota(d: Deployment, spec: ArchSpec) -> None:
    d.client("apigateway").update_usage_plan(
        usagePlanId=d.ids["api.usage_plans.partners"],
        patchOperations=[{"op": "replace", "path": "/quota/limit", "value": "5000"}],
    )


def _api_key(d: Deployment, spec: ArchSpec) -> None:
    d.client("apigateway").update_api_key(
        apiKey=d.ids["api.api_keys.partner"],
        patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}],
    )


def _web_acl(d: Deployment, spec: ArchSpec) -> None:
    cf = d.client("cloudfront", "us-east-1")
    got = cf.get_distribution_config(Id=d.ids["edge.cdn"])
    config = got["DistributionConfig"]
    config["WebACLId"] = ""
    cf.update_distribution(Id=d.ids["edge.cdn"], IfMatch=got["ETag"], DistributionConfig=config)


def _geo_rule(d: Deployment, spec: ArchSpec) -> None:
    waf = d.client("wafv2", "us-east-1")
    got = waf.get_web_acl(Name=name("web_acl"), Scope="CLOUDFRONT", Id=d.ids["edge.waf"])
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


def _record(d: Deployment, spec: ArchSpec) -> None:
    r53 = d.client("route53")
    zone = d.ids["edge.dns"]
    rec = next(
        r
        for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
        if r["Type"] == "AAAA"
    )
    r53.change_resource_record_sets(
        HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": rec}]}
    )


def _rotation(d: Deployment, spec: ArchSpec) -> None:
    d.client("secretsmanager").cancel_rotate_secret(SecretId=name("api_keys"))


def _kms_rotation(d: Deployment, spec: ArchSpec) -> None:
    d.client("kms").disable_key_rotation(KeyId=d.ids["security.kms_keys.data"])


def _unmanaged_table(d: Deployment, spec: ArchSpec) -> None:
    d.client("dynamodb").create_table(
        TableName=name("orphan"),
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "Project", "Value": "shop"}, {"Key": "Environment", "Value": ENV}],
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
}

CHANGES: tuple[Change, ...] = (
    Change("pitr-off", _pitr, (("changed", "tables.main", "point_in_time_recovery", True, False),)),
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
    Change("memory", _memory, (("changed", "functions.get_user", "memory", 512, 1024),)),
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
        "env-var", _env, (("changed", "functions.authorizer", "environment.ENVIRONMENT", "chg", "staging"),)
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
        _log_retention,
        (("changed", "functions.process_stream", "log_retention_days", 30, 7),),
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
        _public_access_block,
        tuple(
            ("changed", "buckets.logs", f"public_access_block.{flag}", True, False)
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
    Change("versioning-suspended", _versioning, (("changed", "buckets.logs", "versioning", True, False),)),
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
        _sg_rule,
        (("changed", "network.security_groups.endpoints", "ingress[tcp 22 cidr 0.0.0.0/0]", None, ""),),
    ),
    Change(
        "endpoint-deleted",
        _endpoint,
        (("missing", "network.endpoints.ssm", None, "shop-chg-ssm-endpoint", None),),
    ),
    Change(
        "flow-logs-deleted", _flow_logs, (("missing", "network.flow_logs", None, "shop-chg-flow-logs", None),)
    ),
    Change(
        "method-added", _method_added, (("changed", "api", "methods[PATCH /api/items]", None, PATCH_ITEMS),)
    ),
    Change(
        "authorizer-removed",
        _authorizer_removed,
        (("changed", "api", f"{ROUTE_GET_USERS}.authorizer", "api.authorizers.jwt", None),),
    ),
    Change("throttling", _throttling, (("changed", "api", "throttling.rate", 10000.0, 500.0),)),
    Change(
        "usage-plan-quota", _quota, (("changed", "api.usage_plans.partners", "quota.limit", 1000000, 5000),)
    ),
    Change("api-key-disabled", _api_key, (("changed", "api.api_keys.partner", "enabled", True, False),)),
    Change("web-acl-detached", _web_acl, (("changed", "edge.cdn", "web_acl", "edge.waf", None),)),
    Change(
        "waf-geo-rule-removed",
        _geo_rule,
        (("changed", "edge.waf", "geo_block", ["CU", "IR", "KP", "SY"], []),),
    ),
    Change(
        "dns-record-deleted",
        _record,
        (("changed", "edge.dns", "records[AAAA chg.example.com]", "edge.cdn", None),),
    ),
    Change(
        "secret-rotation-off", _rotation, (("changed", "secrets.api_keys", "rotation_enabled", True, False),)
    ),
    Change(
        "kms-rotation-off", _kms_rotation, (("changed", "security.kms_keys.data", "rotation", True, False),)
    ),
    Change(
        "unmanaged-table",
        _unmanaged_table,
        (("unmanaged", "shop-chg-orphan", None, None, "shop-chg-orphan"),),
    ),
)


def _key(change: str | None, resource: str, attribute: str | None, expected: Any, actual: Any) -> str:
    return json.dumps([change, resource, attribute, expected, actual], sort_keys=True)


@pytest.fixture(scope="module")
def changed_run(moto_server: str) -> AccountRun:
    spec = spec_variant(ENV)
    deployment = provision(spec, moto_server)
    for change in CHANGES:
        change.apply(deployment, spec)
    return run_verify(spec, moto_server, regions=("us-west-2",))


def _drift_keys(run: AccountRun) -> set[str]:
    return {
        _key(f.change, f.resource, f.attribute, f.expected, f.actual)
        for f in run.report.findings
        if f.kind == "drift"
    }


@pytest.mark.parametrize("change", CHANGES, ids=[c.id for c in CHANGES])
def test_change_is_detected_exactly(changed_run: AccountRun, change: Change) -> None:
    found = _drift_keys(changed_run)
    for expected in change.expected:
        assert _key(*expected) in found, f"{change.id}: {expected} not in {sorted(found)}"


def test_nothing_else_is_reported(changed_run: AccountRun) -> None:
    wanted = {_key(*e) for c in CHANGES for e in c.expected}
    assert _drift_keys(changed_run) == wanted
    assert not changed_run.report.account_unreadable()


def test_at_least_25_attribute_classes() -> None:
    assert len(CHANGES) >= 25
    assert len({c.id for c in CHANGES}) == len(CHANGES)
