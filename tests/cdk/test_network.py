"""Network stack: VPC, explicit subnets, NAT placement, endpoints, security groups, flow logs."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
NET = "shop-prod-network"


def _name(value: str) -> object:
    return Match.array_with([{"Key": "Name", "Value": value}])


def test_vpc_has_the_spec_cidr_and_name(assembly):
    assembly.template(NET).has_resource_properties(
        "AWS::EC2::VPC",
        {
            "CidrBlock": "10.0.0.0/16",
            "EnableDnsHostnames": True,
            "EnableDnsSupport": True,
            "Tags": _name("shop-prod-vpc"),
        },
    )


@pytest.mark.parametrize(
    ("tier", "az", "cidr"),
    [
        ("public", "us-east-1a", "10.0.0.0/24"),
        ("public", "us-east-1b", "10.0.1.0/24"),
        ("public", "us-east-1c", "10.0.2.0/24"),
        ("private", "us-east-1a", "10.0.10.0/24"),
        ("private", "us-east-1b", "10.0.11.0/24"),
        ("private", "us-east-1c", "10.0.12.0/24"),
    ],
)
def test_subnets_use_the_explicit_cidrs(assembly, tier, az, cidr):
    assembly.template(NET).has_resource_properties(
        "AWS::EC2::Subnet",
        {
            "AvailabilityZone": az,
            "CidrBlock": cidr,
            "MapPublicIpOnLaunch": False,
            "Tags": _name(f"shop-prod-{tier}-{az}"),
        },
    )


def test_one_nat_gateway_per_public_subnet_and_private_routes_stay_in_zone(assembly):
    stack = assembly.stacks[NET]["Resources"]
    nats = assembly.resources(NET, "AWS::EC2::NatGateway")
    subnet_of_nat = {k: v["Properties"]["SubnetId"]["Ref"] for k, v in nats.items()}
    az_of_subnet = {
        k: v["Properties"]["AvailabilityZone"] for k, v in assembly.resources(NET, "AWS::EC2::Subnet").items()
    }
    nat_azs = sorted(az_of_subnet[s] for s in subnet_of_nat.values())
    assert nat_azs == ["us-east-1a", "us-east-1b", "us-east-1c"]
    for key, nat in nats.items():
        az = az_of_subnet[subnet_of_nat[key]]
        assert {"Key": "Name", "Value": f"shop-prod-nat-{az}"} in nat["Properties"]["Tags"]
        assert stack[subnet_of_nat[key]]["Properties"]["CidrBlock"].startswith("10.0.")
    # Every private subnet's default route goes to the NAT gateway of its own zone.
    tables = {}
    for assoc in assembly.resources(NET, "AWS::EC2::SubnetRouteTableAssociation").values():
        tables[assoc["Properties"]["RouteTableId"]["Ref"]] = assoc["Properties"]["SubnetId"]["Ref"]
    nat_routes = [
        r for r in assembly.resources(NET, "AWS::EC2::Route").values() if "NatGatewayId" in r["Properties"]
    ]
    assert len(nat_routes) == 3
    for route in nat_routes:
        subnet = tables[route["Properties"]["RouteTableId"]["Ref"]]
        nat = route["Properties"]["NatGatewayId"]["Ref"]
        assert az_of_subnet[subnet] == az_of_subnet[subnet_of_nat[nat]]
        assert stack[subnet]["Properties"]["CidrBlock"].startswith("10.0.1")  # a private subnet


@pytest.mark.parametrize(
    ("service", "kind"),
    [("dynamodb", "Gateway"), ("s3", "Gateway"), ("ssm", "Interface"), ("secretsmanager", "Interface")],
)
def test_vpc_endpoints(assembly, service, kind):
    props = {
        "ServiceName": f"com.amazonaws.us-east-1.{service}",
        "VpcEndpointType": kind,
        "Tags": _name(f"shop-prod-{service}-endpoint"),
    }
    if kind == "Interface":
        props["PrivateDnsEnabled"] = True
        props["SubnetIds"] = Match.any_value()
    else:
        props["RouteTableIds"] = Match.any_value()
    assembly.template(NET).has_resource_properties("AWS::EC2::VPCEndpoint", props)
    _, endpoint = assembly.one(NET, "AWS::EC2::VPCEndpoint", ServiceName=f"com.amazonaws.us-east-1.{service}")
    key = "SubnetIds" if kind == "Interface" else "RouteTableIds"
    assert len(endpoint["Properties"][key]) == 3


def _rule(cidr: str | None, description: str) -> dict:
    rule = {"Description": description, "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}
    return {"CidrIp": cidr, **rule} if cidr else rule


def test_lambda_security_group_has_only_the_spec_egress(assembly):
    sg_id, sg = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-lambda")
    inline = sorted(sg["Properties"]["SecurityGroupEgress"], key=lambda r: r["CidrIp"])
    assert inline == [
        _rule("0.0.0.0/0", "HTTPS to external APIs via NAT"),
        _rule("10.0.0.0/16", "HTTPS to interface endpoints"),
    ]
    group = {"Fn::GetAtt": [sg_id, "GroupId"]}
    db_id, _ = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-database")
    separate = sorted(
        (
            r["Properties"]
            for r in assembly.resources(NET, "AWS::EC2::SecurityGroupEgress").values()
            if r["Properties"]["GroupId"] == group
        ),
        key=lambda r: r["Description"],
    )
    assert separate == [
        {
            **_rule(None, "DynamoDB gateway endpoint"),
            "DestinationPrefixListId": "pl-02cd2c6b",
            "GroupId": group,
        },
        # derived: functions.auth uses the database (database: true) and runs in this group
        {
            "Description": "PostgreSQL to the database",
            "DestinationSecurityGroupId": {"Fn::GetAtt": [db_id, "GroupId"]},
            "FromPort": 5432,
            "GroupId": group,
            "IpProtocol": "tcp",
            "ToPort": 5432,
        },
        {**_rule(None, "S3 gateway endpoint"), "DestinationPrefixListId": "pl-63a5400a", "GroupId": group},
    ]
    assert {"Key": "Name", "Value": "shop-prod-lambda"} in sg["Properties"]["Tags"]


def test_groups_without_egress_rules_allow_no_egress(assembly):
    # The ALB's group declares ingress only and no rule is derived for its egress (Lambda targets are
    # invoked by the ELB service, not over the network).
    sg_id, sg = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-alb")
    assert [
        r
        for r in assembly.resources(NET, "AWS::EC2::SecurityGroupEgress").values()
        if r["Properties"]["GroupId"] == {"Fn::GetAtt": [sg_id, "GroupId"]}
    ] == []
    rules = sg["Properties"]["SecurityGroupEgress"]
    assert rules == [
        {
            "CidrIp": "255.255.255.255/32",
            "Description": "Disallow all traffic",
            "FromPort": 252,
            "IpProtocol": "icmp",
            "ToPort": 86,
        }
    ]


def test_security_group_to_group_ingress(assembly):
    lambda_id, _ = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-lambda")
    db_id, _ = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-database")
    endpoints_id, _ = assembly.one(NET, "AWS::EC2::SecurityGroup", GroupName="shop-prod-endpoints")
    template = assembly.template(NET)
    for target, port, description in (
        (db_id, 5432, "PostgreSQL from Lambda"),
        (endpoints_id, 443, "HTTPS from Lambda"),
    ):
        template.has_resource_properties(
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": {"Fn::GetAtt": [target, "GroupId"]},
                "SourceSecurityGroupId": {"Fn::GetAtt": [lambda_id, "GroupId"]},
                "FromPort": port,
                "ToPort": port,
                "IpProtocol": "tcp",
                "Description": description,
            },
        )
    _, interface = assembly.one(NET, "AWS::EC2::VPCEndpoint", ServiceName="com.amazonaws.us-east-1.ssm")
    assert interface["Properties"]["SecurityGroupIds"] == [{"Fn::GetAtt": [endpoints_id, "GroupId"]}]


def test_flow_logs_to_cloudwatch_with_retention(assembly):
    template = assembly.template(NET)
    template.has_resource_properties(
        "AWS::Logs::LogGroup", {"LogGroupName": "/aws/vpc/flow-logs/shop-prod-vpc", "RetentionInDays": 90}
    )
    template.has_resource_properties(
        "AWS::EC2::FlowLog",
        {
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs",
            "DeliverLogsPermissionArn": Match.any_value(),
            "Tags": _name("shop-prod-flow-logs"),
        },
    )


def test_optional_alb_and_bastion_are_absent_when_disabled(tmp_path):
    """The reference with the seed's optional boxes switched off (built in-process, nag off)."""
    from archkit.cdk.app import build
    from archkit.spec import load_spec
    from shared import everything_off_doc, write_spec

    path = write_spec(everything_off_doc(), tmp_path)
    built = build(load_spec(path), spec_dir=path.parent, outdir=tmp_path / "cdk.out", nag=False)
    stacks = {s.stack_name: s.template for s in built.app.synth().stacks}
    # no load balancer certificate to validate in the zone: zone, certificate and WAF stay in the edge stack
    assert sorted(stacks) == [
        "shop-prod-application",
        "shop-prod-cost",
        "shop-prod-data",
        "shop-prod-data-us-west-2",
        "shop-prod-edge",
        "shop-prod-network",
    ]
    found = {
        (name, r["Type"])
        for name, template in stacks.items()
        for r in template["Resources"].values()
        if r["Type"]
        in {
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::ApiGatewayV2::VpcLink",
            "AWS::EC2::Instance",
            "AWS::RDS::DBInstance",
            "AWS::Route53::HostedZone",
        }
    }
    assert found == {("shop-prod-edge", "AWS::Route53::HostedZone")}
