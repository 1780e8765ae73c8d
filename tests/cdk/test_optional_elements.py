"""The seed's optional boxes, enabled in the reference: ALB with Lambda targets, the API's VPC link to it,
the bastion host and the RDS database with the functions using it (the reference's one synthesis per
session). Their absence when switched off: tests/cdk/test_network.py and tests/integration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match

from shared import REFERENCE, reference_doc, write_spec

from .cdk_helpers import Assembly

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
APP, NET, GLOBAL, EDGE = (
    "shop-prod-application",
    "shop-prod-network",
    "shop-prod-edge-global",
    "shop-prod-edge",
)


ALB_TARGETS = reference_doc()["network"]["alb"]["targets"]
DB_FUNCTIONS = tuple(k for k, fn in reference_doc()["functions"].items() if fn.get("database"))


@pytest.fixture(scope="session")
def variant_spec() -> tuple[Any, Path]:
    from archkit.spec import load_spec

    return load_spec(REFERENCE), REFERENCE


@pytest.fixture(scope="session")
def variant(assembly: Assembly) -> Assembly:
    """The reference's synthesis (cdk-nag on: an unacknowledged finding fails it)."""
    return assembly


def _logical_id(assembly: Assembly, stack: str, cfn_type: str, **props: Any) -> str:
    return assembly.one(stack, cfn_type, **props)[0]


def _import_of(assembly: Assembly, stack: str, logical_id: str) -> dict[str, str]:
    """The ``Fn::ImportValue`` another stack uses for a resource's ``Ref`` or ``GroupId``."""
    exports = assembly.stacks[stack]["Outputs"]
    for output in exports.values():
        value = output["Value"]
        if value in ({"Ref": logical_id}, {"Fn::GetAtt": [logical_id, "GroupId"]}):
            return {"Fn::ImportValue": output["Export"]["Name"]}
    raise AssertionError(f"{logical_id} is not exported by {stack}")


# --- spec level (no synthesis) ------------------------------------------------------------------------


def test_inventory_lists_the_new_resources(variant_spec):
    spec, _ = variant_spec
    found = {(r.path, r.type, r.name) for r in spec.resources()}
    assert {
        ("network.alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", "shop-prod-alb"),
        ("network.alb.listener", "AWS::ElasticLoadBalancingV2::Listener", "shop-prod-alb:443"),
        ("network.alb.targets.get_items", "AWS::ElasticLoadBalancingV2::TargetGroup", "shop-prod-get-items"),
        ("network.bastion", "AWS::EC2::Instance", "shop-prod-bastion"),
        ("api.vpc_link", "AWS::ApiGatewayV2::VpcLink", "shop-prod-vpc-link"),
        ("rds", "AWS::RDS::DBInstance", "shop-prod-db"),
        ("rds.subnet_group", "AWS::RDS::DBSubnetGroup", "shop-prod-db"),
    } <= found
    assert not any(r.path == "rds.credentials" for r in spec.resources())  # the spec names db_password


def test_derived_rules_add_only_what_the_spec_does_not_declare(variant_spec):
    from archkit.spec.wiring import derived_security_group_rules

    spec, _ = variant_spec
    got = [
        (d.group, d.direction, d.rule.port, d.rule.security_group or d.rule.cidr)
        for d in derived_security_group_rules(spec)
    ]
    assert got == [
        # database ← lambda (5432) is declared in the reference; its egress side is not
        ("lambda", "egress", 5432, "database"),
        ("database", "ingress", 5432, "bastion"),
        ("bastion", "egress", 5432, "database"),
        ("alb", "ingress", 443, "vpc_link"),
        ("vpc_link", "egress", 443, "alb"),
        ("bastion", "egress", 443, "0.0.0.0/0"),
        ("endpoints", "ingress", 443, "bastion"),
    ]


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        (
            lambda d: d["network"]["alb"]["targets"].update({"get_itemz": ["/x"]}),
            "network.alb.targets.get_itemz",
            "unknown function 'get_itemz'; did you mean 'get_items'?",
        ),
        (
            lambda d: d["network"]["alb"]["targets"].update({"get_items": ["/api/itemz"]}),
            "api.routes./api/items.GET.integration",
            "no path pattern of network.alb.targets matches /api/items",
        ),
        (
            lambda d: d["network"]["alb"].update(
                {"targets": {"get_user": ["/api/*"], "get_items": ["/api/items"]}}
            ),
            "api.routes./api/items.GET.integration",
            "the load balancer routes /api/items to 'get_user', not to 'get_items'",
        ),
        (
            lambda d: (
                d["network"]["alb"].update({"internet_facing": True}),
                d["network"]["alb"]["listener"].update({"protocol": "HTTP", "port": 80}),
            ),
            "network.alb.listener.protocol",
            "an internet-facing load balancer listens on HTTPS",
        ),
        (
            lambda d: d["api"]["vpc_link"].update({"enabled": False}),
            "api.routes./api/items.GET.integration",
            "integration: vpc_link needs api.vpc_link.enabled",
        ),
        (
            lambda d: d["functions"]["add_item"].update({"database": True, "vpc": False}),
            "functions.add_item.database",
            "a function using the database runs in the VPC (vpc: true) with a security group",
        ),
        (
            lambda d: d["network"]["bastion"].pop("security_group"),
            "network.bastion.security_group",
            "the bastion needs a security group",
        ),
    ],
)
def test_wiring_errors_name_the_spec_path(tmp_path, change, location, message):
    from archkit.spec import SpecError, load_spec

    doc = reference_doc()
    change(doc)
    path = tmp_path / "spec.yaml"
    import yaml

    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    lines = [line for line in str(raised.value).splitlines() if f" {location}: " in line]
    assert lines and message in lines[0], str(raised.value)


# --- synthesized ---------------------------------------------------------------------------------------


def test_zone_moves_to_edge_global_which_the_application_stack_follows(variant):
    manifest = json.loads((variant.cdk_out / "manifest.json").read_text())
    assert GLOBAL in manifest["artifacts"][APP]["dependencies"]
    assert variant.regions[GLOBAL] == "us-east-1"
    assert list(variant.resources(GLOBAL, "AWS::Route53::HostedZone")) != []
    assert variant.resources(EDGE, "AWS::Route53::HostedZone") == {}


def test_load_balancer_attributes_and_placement(variant):
    t = variant.template(APP)
    subnets = [
        _import_of(variant, NET, _logical_id(variant, NET, "AWS::EC2::Subnet", CidrBlock=cidr) + "")
        for cidr in ("10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24")
    ]
    alb_sg = _logical_id(variant, NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-alb")
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Name": "shop-prod-alb",
            "Scheme": "internal",  # only the VPC link reaches it
            "Type": "application",
            "Subnets": subnets,
            "SecurityGroups": [_import_of(variant, NET, alb_sg)],
            "LoadBalancerAttributes": Match.array_with(
                [
                    {"Key": "deletion_protection.enabled", "Value": "true"},
                    {"Key": "idle_timeout.timeout_seconds", "Value": "60"},
                    {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
                    {"Key": "access_logs.s3.enabled", "Value": "true"},
                    {"Key": "access_logs.s3.prefix", "Value": "alb"},
                ]
            ),
            "Tags": Match.array_with([{"Key": "archkit:id", "Value": "network.alb"}]),
        },
    )


def test_https_listener_with_dns_validated_certificate_and_alias(variant):
    t = variant.template(APP)
    alb = _logical_id(variant, APP, "AWS::ElasticLoadBalancingV2::LoadBalancer", Name="shop-prod-alb")
    cert = _logical_id(
        variant, APP, "AWS::CertificateManager::Certificate", DomainName="alb.shop.example.com"
    )
    zone = next(iter(variant.resources(GLOBAL, "AWS::Route53::HostedZone")))
    t.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [
                {"DomainName": "alb.shop.example.com", "HostedZoneId": _import_of(variant, GLOBAL, zone)}
            ],
        },
    )
    t.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": {"Ref": alb},
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "Certificates": [{"CertificateArn": {"Ref": cert}}],
            "DefaultActions": [
                {
                    "Type": "fixed-response",
                    "FixedResponseConfig": {
                        "StatusCode": "404",
                        "ContentType": "text/plain",
                        "MessageBody": "Not Found",
                    },
                }
            ],
        },
    )
    t.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "alb.shop.example.com.",
            "Type": "A",
            "HostedZoneId": _import_of(variant, GLOBAL, zone),
            "AliasTarget": {
                "HostedZoneId": {"Fn::GetAtt": [alb, "CanonicalHostedZoneID"]},
                "DNSName": Match.any_value(),
            },
        },
    )


@pytest.mark.parametrize("priority", range(1, len(ALB_TARGETS) + 1))
def test_target_groups_forward_paths_to_their_functions(variant, priority):
    key, paths = list(ALB_TARGETS.items())[priority - 1]
    name = f"shop-prod-{key.replace('_', '-')}"
    function = _logical_id(variant, APP, "AWS::Lambda::Function", FunctionName=name)
    group, props = variant.one(APP, "AWS::ElasticLoadBalancingV2::TargetGroup", Name=name)
    assert props["Properties"]["TargetType"] == "lambda"
    assert props["Properties"]["Targets"] == [{"Id": {"Fn::GetAtt": [function, "Arn"]}}]
    assert props["Properties"]["HealthCheckEnabled"] is False
    assert {"Key": "archkit:id", "Value": f"network.alb.targets.{key}"} in props["Properties"]["Tags"]
    listener = next(iter(variant.resources(APP, "AWS::ElasticLoadBalancingV2::Listener")))
    variant.template(APP).has_resource_properties(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {
            "ListenerArn": {"Ref": listener},
            "Priority": priority,
            "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": paths}}],
            "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": group}}],
        },
    )
    permission, perm = variant.one(
        APP,
        "AWS::Lambda::Permission",
        FunctionName={"Fn::GetAtt": [function, "Arn"]},
        Principal="elasticloadbalancing.amazonaws.com",
    )
    assert perm["Properties"]["SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert json.dumps(perm["Properties"]["SourceArn"]).endswith(f':targetgroup/{name}/*"]]}}')
    # The group registers the function only once the permission exists.
    assert permission in variant.stacks[APP]["Resources"][group]["DependsOn"]


def test_api_method_goes_through_the_vpc_link_to_the_load_balancer(variant):
    t = variant.template(APP)
    alb = _logical_id(variant, APP, "AWS::ElasticLoadBalancingV2::LoadBalancer", Name="shop-prod-alb")
    link = _logical_id(variant, APP, "AWS::ApiGatewayV2::VpcLink", Name="shop-prod-vpc-link")
    link_sg = _logical_id(variant, NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-vpc-link")
    t.has_resource_properties(
        "AWS::ApiGatewayV2::VpcLink",
        {
            "SecurityGroupIds": [_import_of(variant, NET, link_sg)],
            "SubnetIds": Match.any_value(),
            "Tags": Match.object_like({"archkit:id": "api.vpc_link"}),
        },
    )
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        {
            "HttpMethod": "GET",
            "ApiKeyRequired": True,
            "Integration": {
                "Type": "HTTP_PROXY",
                "IntegrationHttpMethod": "GET",
                "ConnectionType": "VPC_LINK",
                "ConnectionId": {"Ref": link},
                "IntegrationTarget": {"Ref": alb},
                "Uri": "https://alb.shop.example.com/api/items",
            },
        },
    )
    # Only proxy methods give API Gateway invoke rights: GET /api/items reaches get_items via the ALB.
    assert not any(
        "/GET/api/items" in json.dumps(p["Properties"].get("SourceArn"))
        for p in variant.resources(APP, "AWS::Lambda::Permission").values()
    )


def test_bastion_is_ssm_only_imdsv2_encrypted_in_a_private_subnet_without_public_ip(variant):
    private0 = _logical_id(variant, NET, "AWS::EC2::Subnet", CidrBlock="10.0.10.0/24")
    bastion_sg = _logical_id(variant, NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-bastion")
    _, instance = variant.one(NET, "AWS::EC2::Instance", InstanceType="t4g.nano")
    props = instance["Properties"]
    assert props["MetadataOptions"] == {
        "HttpEndpoint": "enabled",
        "HttpPutResponseHopLimit": 1,
        "HttpTokens": "required",
        "InstanceMetadataTags": "disabled",
    }
    assert props["BlockDeviceMappings"] == [
        {
            "DeviceName": "/dev/xvda",
            "Ebs": {"DeleteOnTermination": True, "Encrypted": True, "VolumeSize": 8, "VolumeType": "gp3"},
        }
    ]
    assert props["NetworkInterfaces"] == [
        {
            "AssociatePublicIpAddress": False,
            "DeviceIndex": "0",
            "GroupSet": [{"Fn::GetAtt": [bastion_sg, "GroupId"]}],
            "SubnetId": {"Ref": private0},
        }
    ]
    assert "KeyName" not in props
    assert props["DisableApiTermination"] is True and props["Monitoring"] is True
    assert {"Key": "Name", "Value": "shop-prod-bastion"} in props["Tags"]
    assert {"Key": "archkit:id", "Value": "network.bastion"} in props["Tags"]
    _, group = variant.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-bastion")
    assert "SecurityGroupIngress" not in group["Properties"]  # no SSH: allowed_cidrs is empty
    assert group["Properties"]["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "SSM Session Manager",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    _, role = variant.one(NET, "AWS::IAM::Role", RoleName="shop-prod-bastion-role")
    assert "ManagedPolicyArns" not in role["Properties"]


def test_database_is_encrypted_multi_az_in_the_private_subnet_group(variant):
    t = variant.template(APP)
    private = [
        _import_of(variant, NET, _logical_id(variant, NET, "AWS::EC2::Subnet", CidrBlock=cidr))
        for cidr in ("10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24")
    ]
    group = _logical_id(variant, APP, "AWS::RDS::DBSubnetGroup", DBSubnetGroupName="shop-prod-db")
    assert variant.stacks[APP]["Resources"][group]["Properties"]["SubnetIds"] == private
    db_sg = _logical_id(variant, NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-database")
    key = next(iter(variant.resources("shop-prod-data", "AWS::KMS::Key")))
    secret = _logical_id(variant, APP, "AWS::SecretsManager::Secret", Name="shop-prod-db-password")
    t.has_resource_properties(
        "AWS::RDS::DBInstance",
        {
            "DBInstanceIdentifier": "shop-prod-db",
            "Engine": "postgres",
            "EngineVersion": "16.10",
            "DBInstanceClass": "db.t4g.micro",
            "StorageEncrypted": True,
            "KmsKeyId": Match.object_like({"Fn::ImportValue": Match.string_like_regexp(f"{key}Arn")}),
            "MultiAZ": True,
            "Port": "5432",
            "DBName": "app",
            "DBSubnetGroupName": {"Ref": group},
            "VPCSecurityGroups": [_import_of(variant, NET, db_sg)],
            "PubliclyAccessible": False,
            "DeletionProtection": True,
            "BackupRetentionPeriod": 7,
            "EnableIAMDatabaseAuthentication": True,
            "EnableCloudwatchLogsExports": ["postgresql", "upgrade"],
            "MasterUsername": "archkit_admin",
            "MasterUserPassword": {
                "Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret}, ":SecretString:password::}}"]]
            },
            "Tags": Match.array_with([{"Key": "archkit:id", "Value": "rds"}]),
        },
    )
    t.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "Name": "shop-prod-db-password",
            "GenerateSecretString": Match.object_like(
                {"SecretStringTemplate": '{"username": "archkit_admin"}', "GenerateStringKey": "password"}
            ),
        },
    )


def test_database_admits_only_its_clients(variant):
    sgs = {
        name: _logical_id(variant, NET, "AWS::EC2::SecurityGroup", GroupName=f"shop-prod-{name}")
        for name in ("database", "lambda", "bastion")
    }
    ingress = [
        r["Properties"]
        for r in variant.resources(NET, "AWS::EC2::SecurityGroupIngress").values()
        if r["Properties"]["GroupId"] == {"Fn::GetAtt": [sgs["database"], "GroupId"]}
    ]
    assert sorted(
        (r["SourceSecurityGroupId"]["Fn::GetAtt"][0], r["FromPort"], r["ToPort"]) for r in ingress
    ) == sorted([(sgs["lambda"], 5432, 5432), (sgs["bastion"], 5432, 5432)])
    _, group = variant.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-database")
    assert "SecurityGroupIngress" not in group["Properties"]  # no CIDR rule


@pytest.mark.parametrize("function", DB_FUNCTIONS)
def test_database_functions_get_endpoint_and_credentials(variant, function):
    db = _logical_id(variant, APP, "AWS::RDS::DBInstance", DBInstanceIdentifier="shop-prod-db")
    _, fn = variant.one(APP, "AWS::Lambda::Function", FunctionName=f"shop-prod-{function.replace('_', '-')}")
    env = fn["Properties"]["Environment"]["Variables"]
    assert env["DB_HOST"] == {"Fn::GetAtt": [db, "Endpoint.Address"]}
    assert env["DB_PORT"] == {"Fn::GetAtt": [db, "Endpoint.Port"]}
    assert env["DB_NAME"] == "app"
    secret = _logical_id(variant, APP, "AWS::SecretsManager::Secret", Name="shop-prod-db-password")
    assert env["DB_PASSWORD_SECRET_ARN"] == {"Ref": secret}
    policy_prefix = f"ComputeFunction{function.replace('_', '')}RolePolicy"  # the function's runtime policy
    reads = [
        s
        for lid, p in variant.resources(APP, "AWS::IAM::Policy").items()
        if lid.startswith(policy_prefix)
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Resource"] == {"Ref": secret}
    ]
    assert [s["Action"] for s in reads] == [
        ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    ]


def test_functions_without_database_get_no_endpoint(variant):
    _, fn = variant.one(APP, "AWS::Lambda::Function", FunctionName="shop-prod-get-items")
    assert not {"DB_HOST", "DB_PORT", "DB_NAME"} & set(fn["Properties"]["Environment"]["Variables"])


def test_nag_checks_the_variant_and_only_the_database_port_is_acknowledged(tmp_path):
    """Without its one new suppression the variant fails on exactly that rule (everything else is fixed)."""
    from archkit.cdk.synth import NagViolations, synthesize
    from archkit.spec import load_spec

    doc = reference_doc()
    doc["compliance"]["nag_suppressions"] = [
        e for e in doc["compliance"]["nag_suppressions"] if e["rule"] != "AwsSolutions-RDS11"
    ]
    path = write_spec(doc, tmp_path)
    with pytest.raises(NagViolations) as raised:
        synthesize(load_spec(path), path, tmp_path / "out", force=True)
    assert {(v.rule, v.path) for v in raised.value.violations} == {
        ("AwsSolutions-RDS11", "shop-prod-application/Database/Instance/Resource")
    }


def test_diagrams_draw_the_load_balancer_paths(variant_spec):
    """Overview: API → VPC link → ALB → Lambda, bastion → RDS; API view: method → link → ALB → function."""
    from archkit.diagram import build_views

    spec, _ = variant_spec
    views = build_views(spec, ["overview", "api"])
    overview = {(e.source, e.target, e.label) for e in views["overview"].edges}
    assert ("api", "network.alb", "VPC link") in overview
    # One edge into the Lambda tier (the frame of the per-AZ Lambda nodes), not one per AZ.
    assert ("network.alb", "network#lambda_tier", "forwards") in overview
    assert any(s == "network#lambda_tier" and t == "rds" for s, t, _ in overview)
    assert ("network.bastion", "rds", "admin (SSM port forwarding)") in overview
    alb = next(n for n in views["overview"].nodes if n.id == "network.alb")
    assert alb.details == ("internal · spans the private subnets", "HTTPS 443 · 1 Lambda target")
    bastion = next(n for n in views["overview"].nodes if n.id == "network.bastion")
    assert bastion.group == "network#lambda_tier" and bastion.details[-2:] == (
        "no public IP",
        "us-east-1a · 10.0.10.0/24",
    )
    api = {(e.source, e.target, e.label) for e in views["api"].edges}
    assert ("api.routes./api/items.GET", "api.vpc_link", "") in api
    assert not any(s == "api.routes./api/items.GET" and t == "functions.get_items" for s, t, _ in api)
    assert ("api.routes./api/items.POST", "functions.add_item", "") in api
    # The private integration continues in the API features diagram.
    features = {(e.source, e.target, e.label) for e in views["api-features"].edges}
    assert ("api.vpc_link", "network.alb", "HTTPS") in features
    assert ("network.alb", "network.alb.listener", "") in features
    assert ("network.alb.listener", "network.alb.targets.get_items", "/api/items, /api/items/*") in features
    assert ("network.alb.targets.get_items", "functions.get_items", "invokes") in features
    # Every resource of the inventory is drawn somewhere (listener, target groups, subnet group too).
    drawn = set().union(*(v.refs() for v in build_views(spec).values()))
    assert [r.path for r in spec.resources() if r.path not in drawn] == []
