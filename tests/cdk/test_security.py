"""The reference system's own holes stay closed (issue 14): what the synthesized templates must hold."""

from __future__ import annotations

import json

import pytest

from .cdk_helpers import Assembly

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
NET, APP, GLOBAL, EDGE = (
    "shop-prod-network",
    "shop-prod-application",
    "shop-prod-edge-global",
    "shop-prod-edge",
)
DYNAMIC_SECRET = "{{resolve:secretsmanager:shop-prod-origin-verify:SecretString:::}}"


def test_vpc_link_load_balancer_is_internal_in_private_subnets(assembly: Assembly):
    _, alb = assembly.one(APP, "AWS::ElasticLoadBalancingV2::LoadBalancer", Name="shop-prod-alb")
    assert alb["Properties"]["Scheme"] == "internal"
    (private,) = assembly.tagged(NET, "AWS::EC2::Subnet", "network.private_subnets.0")
    assert assembly.import_of(NET, private) in alb["Properties"]["Subnets"]
    _, group = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-alb")
    assert "SecurityGroupIngress" not in group["Properties"]  # only the VPC link's group, as a rule resource


def test_bastion_sits_in_a_private_subnet_without_public_address(assembly: Assembly):
    _, instance = assembly.one(NET, "AWS::EC2::Instance")
    (interface,) = instance["Properties"]["NetworkInterfaces"]
    assert interface["AssociatePublicIpAddress"] is False
    (private,) = assembly.tagged(NET, "AWS::EC2::Subnet", "network.private_subnets.0")
    assert interface["SubnetId"] == {"Ref": private}


def test_rotation_permission_names_the_source_account(assembly: Assembly):
    permissions = [
        r["Properties"]
        for r in assembly.resources(APP, "AWS::Lambda::Permission").values()
        if r["Properties"]["Principal"] == "secretsmanager.amazonaws.com"
    ]
    assert [p["SourceAccount"] for p in permissions] == [{"Ref": "AWS::AccountId"}]


def test_every_service_permission_is_scoped(assembly: Assembly):
    """checkov CKV_AWS_364, every stack: a service principal never invokes without SourceAccount/SourceArn."""
    unscoped = [
        f"{stack}/{key}"
        for stack in assembly.stacks
        for key, r in assembly.resources(stack, "AWS::Lambda::Permission").items()
        if r["Properties"]["Principal"].endswith(".amazonaws.com")
        and not ({"SourceAccount", "SourceArn"} & set(r["Properties"]))
    ]
    assert unscoped == []


def test_default_security_group_rules_are_revoked(assembly: Assembly):
    calls = {}
    for resource in assembly.resources(NET, "Custom::AWS").values():
        create = resource["Properties"]["Create"]["Fn::Join"][1]
        text = "".join(part if isinstance(part, str) else "<group>" for part in create)
        call = json.loads(text)
        calls[call["action"]] = call["parameters"]
    assert calls == {
        "revokeSecurityGroupIngress": {
            "GroupId": "<group>",
            "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "<group>"}]}],
        },
        "revokeSecurityGroupEgress": {
            "GroupId": "<group>",
            "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        },
    }
    vpc_id = assembly.tagged(NET, "AWS::EC2::VPC", "network.vpc")[0]
    assert {"Fn::GetAtt": [vpc_id, "DefaultSecurityGroup"]} in create


@pytest.mark.parametrize(
    ("stack", "group"), [(GLOBAL, "aws-waf-logs-shop-prod-web-acl"), (APP, "aws-waf-logs-shop-prod-api-acl")]
)
def test_web_acls_log_to_encrypted_groups_with_retention(assembly: Assembly, stack: str, group: str):
    _, log_group = assembly.one(stack, "AWS::Logs::LogGroup", LogGroupName=group)
    assert log_group["Properties"]["RetentionInDays"] == 90
    assert log_group["Properties"]["KmsKeyId"]["Fn::GetAtt"][1] == "Arn"
    key = assembly.stacks[stack]["Resources"][log_group["Properties"]["KmsKeyId"]["Fn::GetAtt"][0]]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
    (config,) = assembly.resources(stack, "AWS::WAFv2::LoggingConfiguration").values()
    destination = "".join(
        p if isinstance(p, str) else ""
        for p in config["Properties"]["LogDestinationConfigs"][0]["Fn::Join"][1]
    )
    assert destination.endswith(f":log-group:{group}")
    assert config["Properties"]["RedactedFields"] == [
        {"SingleHeader": {"Name": "authorization"}},
        {"SingleHeader": {"Name": "x-api-key"}},
    ]


def test_stage_answers_only_cloudfront(assembly: Assembly):
    acl_id, acl = assembly.one(APP, "AWS::WAFv2::WebACL", Name="shop-prod-api-acl")
    rule = acl["Properties"]["Rules"][0]
    assert rule["Name"] == "OriginVerify" and rule["Action"] == {"Block": {}}
    match = rule["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": "x-origin-verify"}}
    assert (match["PositionalConstraint"], match["SearchString"]) == ("EXACTLY", DYNAMIC_SECRET)
    (association,) = assembly.resources(APP, "AWS::WAFv2::WebACLAssociation").values()
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert "/stages/" in json.dumps(association["Properties"]["ResourceArn"])
    (distribution,) = assembly.resources(EDGE, "AWS::CloudFront::Distribution").values()
    origins = {o["Id"]: o for o in distribution["Properties"]["DistributionConfig"]["Origins"]}
    assert origins["api"]["OriginCustomHeaders"] == [
        {"HeaderName": "x-origin-verify", "HeaderValue": DYNAMIC_SECRET}
    ]
    assert "OriginCustomHeaders" not in origins["static"]


def test_partner_routes_allow_only_the_partners_addresses(assembly: Assembly):
    ip_set_id, ip_set = assembly.one(APP, "AWS::WAFv2::IPSet", Name="shop-prod-api-allow-0")
    assert ip_set["Properties"]["Addresses"] == ["198.51.100.0/24", "203.0.113.0/24"]
    _, acl = assembly.one(APP, "AWS::WAFv2::WebACL", Name="shop-prod-api-acl")
    rules = {r["Name"]: r for r in acl["Properties"]["Rules"]}
    assert sorted(rules) == ["IpAllowList-GET-api-items", "IpAllowList-POST-api-items", "OriginVerify"]
    method, path, allowed = rules["IpAllowList-GET-api-items"]["Statement"]["AndStatement"]["Statements"]
    assert method["ByteMatchStatement"]["SearchString"] == "GET"
    assert path["RegexMatchStatement"]["RegexString"] == "^(/v1)?/api/items/?$"
    reference = allowed["NotStatement"]["Statement"]["IPSetReferenceStatement"]
    assert reference == {
        "Arn": {"Fn::GetAtt": [ip_set_id, "Arn"]},
        "IPSetForwardedIPConfig": {
            "FallbackBehavior": "NO_MATCH",
            "HeaderName": "X-Forwarded-For",
            "Position": "LAST",
        },
    }


def test_database_refuses_connections_without_tls(assembly: Assembly):
    """`rds.require_tls`: the instance uses a parameter group of its own setting rds.force_ssl (checkov
    CKV2_AWS_69, Prowler rds_instance_transport_encrypted; ARCH-RDS-007)."""
    group_id, group = assembly.one(APP, "AWS::RDS::DBParameterGroup")
    assert group["Properties"]["Parameters"] == {"rds.force_ssl": "1"}
    assert group["Properties"]["Family"] == "postgres16"
    _, db = assembly.one(APP, "AWS::RDS::DBInstance")
    assert db["Properties"]["DBParameterGroupName"] == {"Ref": group_id}
