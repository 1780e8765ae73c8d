"""EC2: VPC, subnets, routes, NAT, security groups, endpoints, flow logs, instances."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_bool, as_json
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler
from archkit.spec.conventions import MANAGED_PREFIX_LISTS, managed_prefix_list_name

AWS_PREFIX_LISTS = {
    pl_id: managed_prefix_list_name(region, service)
    for region, lists in MANAGED_PREFIX_LISTS.items()
    for service, pl_id in lists.items()
}
"""AWS-managed prefix lists by their real ids (public, fixed per region). moto gives the same lists other
ids, so a rule naming a real id is applied to moto's list of the same name."""


def _ec2_tags(ctx: ResourceContext, props: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    tags = ctx.tags(props)
    return [{"ResourceType": kind, "Tags": tags}] if tags else []


@handler("AWS::EC2::VPC")
def vpc(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ec2 = ctx.client("ec2")
    v = ec2.create_vpc(
        CidrBlock=p["CidrBlock"],
        InstanceTenancy=p.get("InstanceTenancy", "default"),
        TagSpecifications=_ec2_tags(ctx, p, "vpc"),
    )["Vpc"]
    vid = v["VpcId"]
    for prop in ("EnableDnsSupport", "EnableDnsHostnames"):
        if prop in p:
            ec2.modify_vpc_attribute(VpcId=vid, **{prop: {"Value": as_bool(p[prop])}})
    groups = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vid]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    return Created(
        vid,
        {
            "VpcId": vid,
            "CidrBlock": v["CidrBlock"],
            "DefaultSecurityGroup": groups[0]["GroupId"] if groups else "",
        },
    )


@handler("AWS::EC2::InternetGateway")
def internet_gateway(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    igw = ctx.client("ec2").create_internet_gateway(TagSpecifications=_ec2_tags(ctx, p, "internet-gateway"))
    gid = igw["InternetGateway"]["InternetGatewayId"]
    return Created(gid, {"InternetGatewayId": gid})


@handler("AWS::EC2::VPCGatewayAttachment")
def gateway_attachment(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    if "VpnGatewayId" in p:
        raise DeployError("VPN gateway attachments are not supported")
    ctx.client("ec2").attach_internet_gateway(InternetGatewayId=p["InternetGatewayId"], VpcId=p["VpcId"])
    return Created(f"IGW|{p['VpcId']}")


@handler("AWS::EC2::Subnet")
def subnet(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ec2 = ctx.client("ec2")
    kwargs: dict[str, Any] = {"VpcId": p["VpcId"], "CidrBlock": p["CidrBlock"]}
    if "AvailabilityZone" in p:
        kwargs["AvailabilityZone"] = p["AvailabilityZone"]
    s = ec2.create_subnet(**kwargs, TagSpecifications=_ec2_tags(ctx, p, "subnet"))["Subnet"]
    if "MapPublicIpOnLaunch" in p:
        ec2.modify_subnet_attribute(
            SubnetId=s["SubnetId"], MapPublicIpOnLaunch={"Value": as_bool(p["MapPublicIpOnLaunch"])}
        )
    return Created(
        s["SubnetId"],
        {"SubnetId": s["SubnetId"], "AvailabilityZone": s["AvailabilityZone"], "VpcId": s["VpcId"]},
    )


@handler("AWS::EC2::RouteTable")
def route_table(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    rt = ctx.client("ec2").create_route_table(
        VpcId=p["VpcId"], TagSpecifications=_ec2_tags(ctx, p, "route-table")
    )
    rid = rt["RouteTable"]["RouteTableId"]
    return Created(rid, {"RouteTableId": rid})


@handler("AWS::EC2::SubnetRouteTableAssociation")
def route_table_association(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    a = ctx.client("ec2").associate_route_table(RouteTableId=p["RouteTableId"], SubnetId=p["SubnetId"])
    return Created(a["AssociationId"], {"Id": a["AssociationId"]})


_ROUTE_TARGETS = (
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "VpcEndpointId",
)


@handler("AWS::EC2::Route")
def route(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs = {
        k: p[k]
        for k in ("RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock", *_ROUTE_TARGETS)
        if k in p
    }
    ctx.client("ec2").create_route(**kwargs)
    return Created(
        f"{p['RouteTableId']}|{p.get('DestinationCidrBlock') or p.get('DestinationIpv6CidrBlock')}"
    )


@handler("AWS::EC2::EIP")
def eip(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    a = ctx.client("ec2").allocate_address(
        Domain=p.get("Domain", "vpc"), TagSpecifications=_ec2_tags(ctx, p, "elastic-ip")
    )
    return Created(a["PublicIp"], {"AllocationId": a["AllocationId"], "PublicIp": a["PublicIp"]})


@handler("AWS::EC2::NatGateway")
def nat_gateway(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs = {k: p[k] for k in ("SubnetId", "AllocationId", "ConnectivityType", "PrivateIpAddress") if k in p}
    n = ctx.client("ec2").create_nat_gateway(**kwargs, TagSpecifications=_ec2_tags(ctx, p, "natgateway"))
    nid = n["NatGateway"]["NatGatewayId"]
    return Created(nid, {"NatGatewayId": nid})


def _prefix_list(ctx: ResourceContext, pl_id: str) -> str:
    if pl_id not in AWS_PREFIX_LISTS:
        return pl_id  # a customer-managed list created by the template itself
    name = AWS_PREFIX_LISTS[pl_id]
    lists = ctx.client("ec2").describe_prefix_lists()["PrefixLists"]
    found = [p["PrefixListId"] for p in lists if p["PrefixListName"] == name]
    if not found:
        raise DeployError(f"the emulator has no AWS-managed prefix list {name} ({pl_id})")
    return str(found[0])


def _permission(ctx: ResourceContext, rule: dict[str, Any], egress: bool) -> dict[str, Any]:
    """A CloudFormation security group rule as an EC2 IpPermission."""
    proto = str(rule.get("IpProtocol", "-1"))
    perm: dict[str, Any] = {"IpProtocol": proto}
    if "FromPort" in rule:
        perm["FromPort"] = int(rule["FromPort"])
    if "ToPort" in rule:
        perm["ToPort"] = int(rule["ToPort"])
    desc = {"Description": rule["Description"]} if "Description" in rule else {}
    peer_group = rule.get("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId")
    peer_list = rule.get("DestinationPrefixListId" if egress else "SourcePrefixListId")
    if "CidrIp" in rule:
        perm["IpRanges"] = [{"CidrIp": rule["CidrIp"], **desc}]
    elif "CidrIpv6" in rule:
        perm["Ipv6Ranges"] = [{"CidrIpv6": rule["CidrIpv6"], **desc}]
    elif peer_group:
        perm["UserIdGroupPairs"] = [{"GroupId": peer_group, **desc}]
    elif peer_list:
        perm["PrefixListIds"] = [{"PrefixListId": _prefix_list(ctx, peer_list), **desc}]
    else:
        raise DeployError(f"security group rule without a peer: {rule}")
    return perm


@handler("AWS::EC2::SecurityGroup")
def security_group(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ec2 = ctx.client("ec2")
    name = p.get("GroupName") or ctx.physical_name(255)
    gid = ec2.create_security_group(
        GroupName=name,
        Description=p["GroupDescription"],
        VpcId=p["VpcId"],
        TagSpecifications=_ec2_tags(ctx, p, "security-group"),
    )["GroupId"]
    if p.get("SecurityGroupEgress"):
        # CloudFormation adds the allow-all egress rule only when the template gives no egress rules.
        ec2.revoke_security_group_egress(
            GroupId=gid, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        )
        ec2.authorize_security_group_egress(
            GroupId=gid, IpPermissions=[_permission(ctx, r, True) for r in p["SecurityGroupEgress"]]
        )
    if p.get("SecurityGroupIngress"):
        ec2.authorize_security_group_ingress(
            GroupId=gid, IpPermissions=[_permission(ctx, r, False) for r in p["SecurityGroupIngress"]]
        )
    return Created(gid, {"GroupId": gid, "VpcId": p["VpcId"]})


@handler("AWS::EC2::SecurityGroupIngress")
def security_group_ingress(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("ec2").authorize_security_group_ingress(
        GroupId=p["GroupId"], IpPermissions=[_permission(ctx, p, False)]
    )
    return Created(f"{p['GroupId']}|ingress|{ctx.logical_id}")


@handler("AWS::EC2::SecurityGroupEgress")
def security_group_egress(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("ec2").authorize_security_group_egress(
        GroupId=p["GroupId"], IpPermissions=[_permission(ctx, p, True)]
    )
    return Created(f"{p['GroupId']}|egress|{ctx.logical_id}")


@handler("AWS::EC2::VPCEndpoint")
def vpc_endpoint(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kind = p.get("VpcEndpointType", "Gateway")
    kwargs: dict[str, Any] = {"VpcId": p["VpcId"], "ServiceName": p["ServiceName"], "VpcEndpointType": kind}
    for prop in ("RouteTableIds", "SubnetIds", "SecurityGroupIds", "PrivateDnsEnabled"):
        if prop in p:
            kwargs[prop] = p[prop]
    if "PolicyDocument" in p:
        kwargs["PolicyDocument"] = as_json(p["PolicyDocument"])
    e = ctx.client("ec2").create_vpc_endpoint(**kwargs, TagSpecifications=_ec2_tags(ctx, p, "vpc-endpoint"))[
        "VpcEndpoint"
    ]
    return Created(
        e["VpcEndpointId"],
        {"Id": e["VpcEndpointId"], "DnsEntries": [d.get("DnsName", "") for d in e.get("DnsEntries", [])]},
    )


@handler("AWS::EC2::FlowLog")
def flow_log(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "ResourceIds": [p["ResourceId"]],
        "ResourceType": p["ResourceType"],
        "TrafficType": p["TrafficType"],
    }
    for prop in (
        "LogDestinationType",
        "LogGroupName",
        "DeliverLogsPermissionArn",
        "LogDestination",
        "LogFormat",
        "MaxAggregationInterval",
    ):
        if prop in p:
            kwargs[prop] = int(p[prop]) if prop == "MaxAggregationInterval" else p[prop]
    out = ctx.client("ec2").create_flow_logs(**kwargs, TagSpecifications=_ec2_tags(ctx, p, "vpc-flow-log"))
    if out.get("Unsuccessful"):
        raise DeployError(f"flow log not created: {out['Unsuccessful']}")
    fid = out["FlowLogIds"][0]
    return Created(fid, {"Id": fid})


@handler("AWS::EC2::Instance")
def instance(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ec2 = ctx.client("ec2")
    kwargs: dict[str, Any] = {"ImageId": p["ImageId"], "MinCount": 1, "MaxCount": 1}
    for prop in ("InstanceType", "BlockDeviceMappings", "MetadataOptions", "EbsOptimized"):
        if prop in p:
            kwargs[prop] = p[prop]
    for m in kwargs.get("BlockDeviceMappings", []):
        ebs = m.get("Ebs") or {}
        for flag in ("Encrypted", "DeleteOnTermination"):
            if flag in ebs:
                ebs[flag] = as_bool(ebs[flag])
    if "EbsOptimized" in kwargs:
        kwargs["EbsOptimized"] = as_bool(kwargs["EbsOptimized"])
    if "Monitoring" in p:
        kwargs["Monitoring"] = {"Enabled": as_bool(p["Monitoring"])}
    if p.get("IamInstanceProfile"):
        kwargs["IamInstanceProfile"] = {"Name": p["IamInstanceProfile"]}
    if p.get("NetworkInterfaces"):
        kwargs["NetworkInterfaces"] = [
            {
                "DeviceIndex": int(n.get("DeviceIndex", 0)),
                "SubnetId": n["SubnetId"],
                "Groups": n.get("GroupSet", []),
                "AssociatePublicIpAddress": as_bool(n.get("AssociatePublicIpAddress", False)),
            }
            for n in p["NetworkInterfaces"]
        ]
    else:
        kwargs["SubnetId"] = p["SubnetId"]
        kwargs["SecurityGroupIds"] = p.get("SecurityGroupIds", [])
    if ctx.tags(p):
        kwargs["TagSpecifications"] = [{"ResourceType": "instance", "Tags": ctx.tags(p)}]
    inst = ec2.run_instances(**kwargs)["Instances"][0]
    iid = inst["InstanceId"]
    if as_bool(p.get("DisableApiTermination", False)):
        ctx.gap("DisableApiTermination", "moto's RunInstances ignores it: applied by ModifyInstanceAttribute")
        ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={"Value": True})
    return Created(iid, {"InstanceId": iid, "PublicIp": inst.get("PublicIpAddress", "")})
