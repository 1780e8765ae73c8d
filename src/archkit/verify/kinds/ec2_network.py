"""The VPC and what lives in it: subnets, route tables, NAT gateways, endpoints, security groups, flow logs.

One tag-filtered listing per resource kind (the system's Project/Environment tags) reads the whole network;
resources are matched to spec paths by their `archkit:id` tag, then by `Name` tag or natural key
(route tables by subnet association, endpoints by service, flow logs by the VPC they log).
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import (
    CDK_DENY_ALL_EGRESS,
)
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    physical_name,
)
from archkit.spec.network import SecurityGroupRuleSpec
from archkit.spec.wiring import (
    derived_security_group_rules,
)
from archkit.verify.kinds.base import (
    Kind,
    identity,
    route_table_path,
    rule_key,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    paginate,
    tag_dict,
)
from archkit.verify.state import ResourceState, SortedSet

# --- state -----------------------------------------------------------------------------------------------


class VpcState(ResourceState):
    kind: ClassVar[str] = "vpc"
    cidr: str
    default_security_group_open: bool = Field(
        description="The VPC's default security group has a rule (AWS creates it with all traffic allowed)."
    )


class SubnetState(ResourceState):
    kind: ClassVar[str] = "subnet"
    cidr: str
    availability_zone: str
    tier: Literal["public", "private"]
    map_public_ip_on_launch: bool


class RouteTableState(ResourceState):
    """The route table of one subnet (spec path ``network.<tier>_subnets.<i>.route_table``)."""

    kind: ClassVar[str] = "route_table"
    subnets: SortedSet = Field(description="Spec paths of the associated subnets.")
    routes: dict[str, str] = Field(
        description=(
            "Destination CIDR -> target: `local`, `internet_gateway`, or the spec path of a NAT gateway. "
            "Prefix-list routes of gateway endpoints are modelled on the endpoint (`route_tables`)."
        )
    )


class NatGatewayState(ResourceState):
    kind: ClassVar[str] = "nat_gateway"
    subnet: str = Field(description="Spec path of the public subnet it sits in.")
    connectivity: Literal["public", "private"] = "public"


class VpcEndpointState(ResourceState):
    kind: ClassVar[str] = "vpc_endpoint"
    service: str = Field(
        description="Short service name, e.g. `dynamodb` (from com.amazonaws.<region>.dynamodb)."
    )
    endpoint_type: Literal["gateway", "interface"]
    private_dns: bool | None = Field(description="Interface endpoints only; None for gateway endpoints.")
    subnets: SortedSet = Field(
        default_factory=list, description="Interface endpoints: spec paths of subnets."
    )
    route_tables: SortedSet = Field(
        default_factory=list, description="Gateway endpoints: spec paths of route tables."
    )


class SecurityGroupState(ResourceState):
    kind: ClassVar[str] = "security_group"
    description: str
    ingress: dict[str, str] = Field(description="Rule key `<protocol> <ports> <peer>` -> rule description.")
    egress: dict[str, str] = Field(description="Rule key `<protocol> <ports> <peer>` -> rule description.")


class FlowLogState(ResourceState):
    kind: ClassVar[str] = "flow_log"
    resource: str = Field(description="Spec path of the logged resource (`network.vpc`).")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"]
    destination: Literal["cloudwatch", "s3"]
    retention_days: int | None = Field(
        description="CloudWatch log group retention; None for S3 or never-expire."
    )


# --- desired ---------------------------------------------------------------------------------------------


def _sg_rule(rule: SecurityGroupRuleSpec) -> str:
    if rule.cidr is not None:
        peer = f"cidr {rule.cidr}"
    elif rule.security_group is not None:
        peer = f"sg network.security_groups.{rule.security_group}"
    elif rule.prefix_list is not None:
        peer = f"prefix_list {rule.prefix_list}"
    else:
        peer = "cidr 0.0.0.0/0"
    return rule_key(rule.protocol, rule.port, rule.to_port if rule.to_port is not None else rule.port, peer)


def nat_for_private_subnet(spec: ArchSpec, index: int) -> str | None:
    """Spec path of the NAT gateway a private subnet routes through: same AZ if any, else round robin."""
    net = spec.network
    nats = net.public_subnets[: net.nat_gateways]
    if not nats:
        return None
    az = net.private_subnets[index].az
    for i, subnet in enumerate(nats):
        if subnet.az == az:
            return f"network.nat_gateways.{i}"
    return f"network.nat_gateways.{index % len(nats)}"


def _network(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    net = spec.network
    base = identity(spec, res, STATES[res.type])
    parts = res.path.split(".")
    if res.type == "AWS::EC2::VPC":
        return [
            VpcState(
                **base, cidr=net.vpc_cidr, default_security_group_open=not net.restrict_default_security_group
            )
        ]
    if res.type == "AWS::EC2::Subnet":
        tier = "public" if parts[1] == "public_subnets" else "private"
        subnet = getattr(net, parts[1])[int(parts[2])]
        state = SubnetState(
            **base,
            cidr=subnet.cidr,
            availability_zone=subnet.az,
            tier=tier,
            # No spec switch: nothing needs an automatic public IP (NAT gateways use EIPs; FSBP EC2.15).
            map_public_ip_on_launch=False,
        )
        routes = {net.vpc_cidr: "local"}
        if tier == "public":
            routes["0.0.0.0/0"] = "internet_gateway"
        else:
            nat = nat_for_private_subnet(spec, int(parts[2]))
            if nat is not None:
                routes["0.0.0.0/0"] = nat
        rt = Resource(
            route_table_path(res.path),
            "AWS::EC2::RouteTable",
            physical_name(spec, f"{tier}-{subnet.az}-routes"),
        )
        table = RouteTableState(**identity(spec, rt, RouteTableState), subnets=[res.path], routes=routes)
        return [state, table]
    if res.type == "AWS::EC2::NatGateway":
        return [NatGatewayState(**base, subnet=f"network.public_subnets.{parts[2]}")]
    if res.type == "AWS::EC2::VPCEndpoint":
        ep = next(e for e in net.endpoints if e.service == parts[2])
        private = [f"network.private_subnets.{i}" for i in range(len(net.private_subnets))]
        if ep.type == "gateway":
            return [
                VpcEndpointState(
                    **base,
                    service=ep.service,
                    endpoint_type="gateway",
                    private_dns=None,
                    route_tables=[route_table_path(p) for p in private],
                )
            ]
        return [
            VpcEndpointState(
                **base,
                service=ep.service,
                endpoint_type="interface",
                private_dns=ep.private_dns,
                subnets=private,
            )
        ]
    if res.type == "AWS::EC2::SecurityGroup":
        key = parts[2]
        sg = net.security_groups[key]
        rules: dict[str, dict[str, str]] = {
            "ingress": {_sg_rule(r): r.description for r in sg.ingress},
            "egress": {_sg_rule(r): r.description for r in sg.egress},
        }
        # What the enabled optional elements need beyond the declared rules (CDK adds the same).
        for derived in derived_security_group_rules(spec):
            if derived.group == key:
                rules[derived.direction].setdefault(_sg_rule(derived.rule), derived.rule.description)
        return [
            SecurityGroupState(
                **base, description=sg.description, ingress=rules["ingress"], egress=rules["egress"]
            )
        ]
    if res.type == "AWS::EC2::FlowLog":
        fl = net.flow_logs
        return [
            FlowLogState(
                **base,
                resource="network.vpc",
                traffic_type=fl.traffic_type,
                destination=fl.destination,
                retention_days=fl.retention_days if fl.destination == "cloudwatch" else None,
            )
        ]
    return []


# --- observed --------------------------------------------------------------------------------------------


def _is_deny_all_placeholder(protocol: str, from_port: object, to_port: object, cidr: str) -> bool:
    placeholder = CDK_DENY_ALL_EGRESS
    return (protocol, from_port, to_port, cidr) == (
        placeholder["IpProtocol"],
        placeholder["FromPort"],
        placeholder["ToPort"],
        placeholder["CidrIp"],
    )


def _rule_keys(
    perm: dict[str, Any], sg_paths: dict[str, str], prefix_lists: dict[str, str]
) -> dict[str, str]:
    proto = perm.get("IpProtocol", "-1")
    protocol = "all" if proto in ("-1", "all") else {"6": "tcp", "17": "udp", "1": "icmp"}.get(proto, proto)
    from_port, to_port = perm.get("FromPort"), perm.get("ToPort")
    if protocol == "all" or from_port in (None, -1):
        from_port = to_port = None
    out: dict[str, str] = {}
    for r in perm.get("IpRanges", []):
        if _is_deny_all_placeholder(protocol, from_port, to_port, r["CidrIp"]):
            continue
        out[rule_key(protocol, from_port, to_port, f"cidr {r['CidrIp']}")] = r.get("Description", "")
    for r in perm.get("Ipv6Ranges", []):
        out[rule_key(protocol, from_port, to_port, f"cidr {r['CidrIpv6']}")] = r.get("Description", "")
    for r in perm.get("UserIdGroupPairs", []):
        peer = sg_paths.get(r["GroupId"], r["GroupId"])
        out[rule_key(protocol, from_port, to_port, f"sg {peer}")] = r.get("Description", "")
    for r in perm.get("PrefixListIds", []):
        peer = prefix_lists.get(r["PrefixListId"], r["PrefixListId"])
        out[rule_key(protocol, from_port, to_port, f"prefix_list {peer}")] = r.get("Description", "")
    return out


def collect(ctx: Context) -> None:
    if not ctx.wanted(*STATES):
        return
    ec2 = ctx.aws.client("ec2")
    system = ctx.system_filters()
    vpcs = ctx.match_tagged("AWS::EC2::VPC", paginate(ec2, "describe_vpcs", "Vpcs", Filters=system), "VpcId")
    vpc = vpcs.get("network.vpc")
    if vpc is None:
        return  # everything in the network is missing
    in_vpc = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    subnets = ctx.match_tagged(
        "AWS::EC2::Subnet", paginate(ec2, "describe_subnets", "Subnets", Filters=in_vpc), "SubnetId"
    )
    sgs_all = paginate(ec2, "describe_security_groups", "SecurityGroups", Filters=in_vpc)
    sgs = ctx.match_tagged(
        "AWS::EC2::SecurityGroup", [g for g in sgs_all if g.get("GroupName") != "default"], "GroupId"
    )
    nats_all = [
        n
        for n in paginate(ec2, "describe_nat_gateways", "NatGateways", Filter=in_vpc)
        if n.get("State") not in ("deleted", "deleting", "failed")
    ]
    route_tables = paginate(ec2, "describe_route_tables", "RouteTables", Filters=in_vpc)
    endpoints = [
        e
        for e in paginate(ec2, "describe_vpc_endpoints", "VpcEndpoints", Filters=in_vpc)
        if e.get("State", "available").lower() not in ("deleted", "deleting", "rejected", "failed")
    ]
    flow_logs = paginate(
        ec2, "describe_flow_logs", "FlowLogs", Filters=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}]
    )
    igws = {
        g["InternetGatewayId"]
        for g in paginate(
            ec2,
            "describe_internet_gateways",
            "InternetGateways",
            Filters=[{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}],
        )
    }
    prefix_lists = {
        p["PrefixListId"]: p["PrefixListName"].rsplit(".", 1)[-1]
        for p in paginate(ec2, "describe_prefix_lists", "PrefixLists")
    }

    subnet_paths = {item["SubnetId"]: path for path, item in subnets.items()}
    sg_paths = {item["GroupId"]: path for path, item in sgs.items()}
    nat_by_subnet = {n["SubnetId"]: n for n in nats_all}

    ctx.add(
        VpcState(
            path="network.vpc",
            resource_type="AWS::EC2::VPC",
            physical_id=vpc["VpcId"],
            ids=[vpc["VpcId"]],
            tags=tag_dict(vpc.get("Tags")),
            cidr=vpc["CidrBlock"],
            default_security_group_open=any(
                g.get("IpPermissions") or g.get("IpPermissionsEgress")
                for g in sgs_all
                if g.get("GroupName") == "default"
            ),
        )
    )
    for path, sn in subnets.items():
        tier = "public" if path.startswith("network.public_subnets") else "private"
        ctx.add(
            SubnetState(
                path=path,
                resource_type="AWS::EC2::Subnet",
                physical_id=sn["SubnetId"],
                arn=sn.get("SubnetArn"),
                ids=[sn["SubnetId"]],
                tags=tag_dict(sn.get("Tags")),
                cidr=sn["CidrBlock"],
                availability_zone=sn["AvailabilityZone"],
                tier=tier,
                map_public_ip_on_launch=bool(sn.get("MapPublicIpOnLaunch")),
            )
        )

    # NAT gateways: by tag, else by the public subnet they sit in.
    nats = ctx.match_tagged("AWS::EC2::NatGateway", list(nats_all), "NatGatewayId")
    for want in ctx.wanted("AWS::EC2::NatGateway"):
        if want.path not in nats:
            subnet_id = next((i for i, p in subnet_paths.items() if p == getattr(want, "subnet", None)), None)
            if subnet_id in nat_by_subnet:
                nats[want.path] = nat_by_subnet[subnet_id]
    nat_paths = {item["NatGatewayId"]: path for path, item in nats.items()}
    for path, nat in nats.items():
        ctx.add(
            NatGatewayState(
                path=path,
                resource_type="AWS::EC2::NatGateway",
                physical_id=nat["NatGatewayId"],
                ids=[nat["NatGatewayId"]],
                tags=tag_dict(nat.get("Tags")),
                subnet=subnet_paths.get(nat["SubnetId"], nat["SubnetId"]),
                connectivity=nat.get("ConnectivityType", "public"),
            )
        )

    # Route tables: the one associated with each subnet.
    rt_paths: dict[str, str] = {}
    for rt in route_tables:
        associated = [a["SubnetId"] for a in rt.get("Associations", []) if a.get("SubnetId")]
        for sid in associated:
            if sid in subnet_paths:
                rt_paths.setdefault(rt["RouteTableId"], f"{subnet_paths[sid]}.route_table")
        if rt["RouteTableId"] not in rt_paths:
            continue
        routes: dict[str, str] = {}
        for r in rt.get("Routes", []):
            dest = r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock")
            if not dest or r.get("State") == "blackhole":
                continue
            if r.get("GatewayId") == "local":
                routes[dest] = "local"
            elif r.get("GatewayId") in igws or str(r.get("GatewayId", "")).startswith("igw-"):
                routes[dest] = "internet_gateway"
            elif r.get("NatGatewayId"):
                routes[dest] = nat_paths.get(r["NatGatewayId"], r["NatGatewayId"])
            else:
                target = next((str(v) for k, v in r.items() if k.endswith("Id") and v), "unknown")
                routes[dest] = target
        ctx.add(
            RouteTableState(
                path=rt_paths[rt["RouteTableId"]],
                resource_type="AWS::EC2::RouteTable",
                physical_id=rt["RouteTableId"],
                ids=[rt["RouteTableId"]],
                tags=tag_dict(rt.get("Tags")),
                subnets=[subnet_paths.get(s, s) for s in associated],
                routes=routes,
            )
        )

    for path, sg in sgs.items():
        ingress: dict[str, str] = {}
        egress: dict[str, str] = {}
        for perm in sg.get("IpPermissions", []):
            ingress.update(_rule_keys(perm, sg_paths, prefix_lists))
        for perm in sg.get("IpPermissionsEgress", []):
            egress.update(_rule_keys(perm, sg_paths, prefix_lists))
        ctx.add(
            SecurityGroupState(
                path=path,
                resource_type="AWS::EC2::SecurityGroup",
                physical_id=sg["GroupId"],
                ids=[sg["GroupId"]],
                tags=tag_dict(sg.get("Tags")),
                description=sg.get("Description", ""),
                ingress=ingress,
                egress=egress,
            )
        )

    # Endpoints: by tag, else by service.
    by_service: dict[str, dict[str, Any]] = {}
    for e in endpoints:
        by_service.setdefault(e["ServiceName"].rsplit(".", 1)[-1], e)
    eps = ctx.match_tagged("AWS::EC2::VPCEndpoint", list(endpoints), "VpcEndpointId")
    for want in ctx.wanted("AWS::EC2::VPCEndpoint"):
        service = want.path.rsplit(".", 1)[-1]
        if want.path not in eps and service in by_service:
            eps[want.path] = by_service[service]
    for path, e in eps.items():
        gateway = e.get("VpcEndpointType", "Gateway").lower() == "gateway"
        ctx.add(
            VpcEndpointState(
                path=path,
                resource_type="AWS::EC2::VPCEndpoint",
                physical_id=e["VpcEndpointId"],
                ids=[e["VpcEndpointId"]],
                tags=tag_dict(e.get("Tags")),
                service=e["ServiceName"].rsplit(".", 1)[-1],
                endpoint_type="gateway" if gateway else "interface",
                private_dns=None if gateway else bool(e.get("PrivateDnsEnabled")),
                subnets=[] if gateway else [subnet_paths.get(s, s) for s in e.get("SubnetIds", [])],
                route_tables=[rt_paths.get(r, r) for r in e.get("RouteTableIds", [])] if gateway else [],
            )
        )

    _flow_logs(ctx, flow_logs)


def _flow_logs(ctx: Context, flow_logs: list[dict[str, Any]]) -> None:
    wanted = ctx.wanted("AWS::EC2::FlowLog")
    if not wanted:
        return
    active = [f for f in flow_logs if f.get("FlowLogStatus", "ACTIVE") == "ACTIVE"]
    matched = ctx.match_tagged("AWS::EC2::FlowLog", active, "FlowLogId")
    if wanted[0].path not in matched and active:
        matched[wanted[0].path] = active[0]
    for path, fl in matched.items():
        destination = "s3" if fl.get("LogDestinationType") == "s3" else "cloudwatch"
        unreadable = Unreadable()
        retention = None
        if destination == "cloudwatch" and fl.get("LogGroupName"):
            logs = ctx.aws.client("logs")
            group_name: str = fl["LogGroupName"]
            groups = unreadable.read(
                "retention_days",
                functools.partial(
                    paginate, logs, "describe_log_groups", "logGroups", logGroupNamePrefix=group_name
                ),
            )
            for g in groups or []:
                if g["logGroupName"] == fl["LogGroupName"]:
                    retention = g.get("retentionInDays")
        state: ResourceState = FlowLogState(
            path=path,
            resource_type="AWS::EC2::FlowLog",
            physical_id=fl["FlowLogId"],
            ids=[fl["FlowLogId"]],
            tags=tag_dict(fl.get("Tags")),
            unreadable=unreadable.reasons,
            resource="network.vpc",
            traffic_type=fl.get("TrafficType", "ALL"),
            destination=destination,
            retention_days=retention,
        )
        ctx.add(state)


STATES: dict[str, type[ResourceState]] = {
    "AWS::EC2::VPC": VpcState,
    "AWS::EC2::Subnet": SubnetState,
    "AWS::EC2::RouteTable": RouteTableState,
    "AWS::EC2::NatGateway": NatGatewayState,
    "AWS::EC2::VPCEndpoint": VpcEndpointState,
    "AWS::EC2::SecurityGroup": SecurityGroupState,
    "AWS::EC2::FlowLog": FlowLogState,
}

KIND = Kind(
    states=STATES,
    desired=_network,
    collect=collect,
    reads={
        "ec2": (
            "DescribeVpcs",
            "DescribeSubnets",
            "DescribeRouteTables",
            "DescribeNatGateways",
            "DescribeVpcEndpoints",
            "DescribeSecurityGroups",
            "DescribeFlowLogs",
            "DescribePrefixLists",
            "DescribeInternetGateways",
        ),
        "logs": ("DescribeLogGroups",),
    },
    security=frozenset({"ingress", "egress", "routes", "default_security_group_open"}),
)
