"""Network: VPC, subnets, route tables, NAT gateways, VPC endpoints, security groups, flow logs.

One tag-filtered listing per resource kind (the system's Project/Environment tags) reads the whole network;
resources are matched to spec paths by their `archkit:id` tag, then by `Name` tag or natural key
(route tables by subnet association, endpoints by service, flow logs by the VPC they log).
"""

from __future__ import annotations

import functools
from typing import Any

from archkit.spec.conventions import CDK_DENY_ALL_EGRESS
from archkit.spec.naming import ID_TAG
from archkit.verify.collect.aws import paginate
from archkit.verify.collect.base import Context, Unreadable
from archkit.verify.desired import EC2_NAMED_TYPES, rule_key
from archkit.verify.state import (
    FlowLogState,
    InstanceState,
    NatGatewayState,
    ResourceState,
    RouteTableState,
    SecurityGroupState,
    SubnetState,
    VpcEndpointState,
    VpcState,
)

TYPES = tuple(sorted(EC2_NAMED_TYPES))
"""The EC2 kinds this collector reads: exactly those named by their `Name` tag."""

LIVE_INSTANCE_STATES = ["pending", "running", "stopping", "stopped"]
"""Instance states that count as the instance existing (terminated ones linger in listings)."""


def tag_dict(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tags or []}


def _match(
    ctx: Context, cfn_type: str, items: list[dict[str, Any]], id_key: str
) -> dict[str, dict[str, Any]]:
    """Spec path -> AWS item, by `archkit:id` tag then `Name` tag; other items are `unmanaged` candidates."""
    wanted = ctx.wanted(cfn_type)
    by_path = {s.path for s in wanted}
    by_name = {s.physical_id: s.path for s in wanted}
    found: dict[str, dict[str, Any]] = {}
    for item in sorted(items, key=lambda i: i[id_key]):
        tags = tag_dict(item.get("Tags"))
        path = tags.get(ID_TAG) if tags.get(ID_TAG) in by_path else by_name.get(tags.get("Name", ""))
        if path is not None and path not in found:
            found[path] = item
        else:
            ctx.candidate(cfn_type, item[id_key], tags)
    return found


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
    if not ctx.wanted(*TYPES):
        return
    ec2 = ctx.aws.client("ec2")
    spec = ctx.spec
    system = [
        {"Name": "tag:Project", "Values": [spec.project]},
        {"Name": "tag:Environment", "Values": [spec.environment]},
    ]
    vpcs = _match(ctx, "AWS::EC2::VPC", paginate(ec2, "describe_vpcs", "Vpcs", Filters=system), "VpcId")
    vpc = vpcs.get("network.vpc")
    if vpc is None:
        return  # everything in the network is missing
    in_vpc = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    subnets = _match(
        ctx, "AWS::EC2::Subnet", paginate(ec2, "describe_subnets", "Subnets", Filters=in_vpc), "SubnetId"
    )
    sgs_all = paginate(ec2, "describe_security_groups", "SecurityGroups", Filters=in_vpc)
    sgs = _match(
        ctx, "AWS::EC2::SecurityGroup", [g for g in sgs_all if g.get("GroupName") != "default"], "GroupId"
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
    nats = _match(ctx, "AWS::EC2::NatGateway", list(nats_all), "NatGatewayId")
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
        unreadable = {}
        if ctx.aws.emulator == "moto":  # moto drops the descriptions of prefix-list rules
            for direction, rules in (("ingress", ingress), ("egress", egress)):
                for key in rules:
                    if " prefix_list " in key:
                        unreadable[f"{direction}[{key}]"] = (
                            "unsupported: moto drops descriptions of prefix-list rules"
                        )
        ctx.add(
            SecurityGroupState(
                unreadable=unreadable,
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
    eps = _match(ctx, "AWS::EC2::VPCEndpoint", list(endpoints), "VpcEndpointId")
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
    _instances(ctx, ec2, system + in_vpc)


def _flow_logs(ctx: Context, flow_logs: list[dict[str, Any]]) -> None:
    wanted = ctx.wanted("AWS::EC2::FlowLog")
    if not wanted:
        return
    active = [f for f in flow_logs if f.get("FlowLogStatus", "ACTIVE") == "ACTIVE"]
    matched = _match(ctx, "AWS::EC2::FlowLog", active, "FlowLogId")
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


def _instances(ctx: Context, ec2: Any, filters: list[dict[str, Any]]) -> None:
    """EC2 instances (the bastion): by tag; their volumes in one call; termination protection and the role
    behind the instance profile per instance."""
    if not ctx.wanted("AWS::EC2::Instance"):
        return
    live = [{"Name": "instance-state-name", "Values": LIVE_INSTANCE_STATES}]
    reservations = paginate(ec2, "describe_instances", "Reservations", Filters=filters + live)
    instances = _match(
        ctx, "AWS::EC2::Instance", [i for r in reservations for i in r.get("Instances", [])], "InstanceId"
    )
    volume_ids = sorted(
        m["Ebs"]["VolumeId"]
        for i in instances.values()
        for m in i.get("BlockDeviceMappings", [])
        if (m.get("Ebs") or {}).get("VolumeId")
    )
    u_volumes = Unreadable()
    volumes = (
        {
            v["VolumeId"]: v
            for v in (
                u_volumes.read(
                    "ebs_encrypted",
                    functools.partial(paginate, ec2, "describe_volumes", "Volumes", VolumeIds=volume_ids),
                )
                or []
            )
        }
        if volume_ids
        else {}
    )
    iam = ctx.aws.client("iam")

    def read(want: ResourceState) -> ResourceState | None:
        inst = instances.get(want.path)
        if inst is None:
            return None
        iid = inst["InstanceId"]
        u = Unreadable()
        for attribute in ("ebs_encrypted", "root_volume_size_gb", "root_volume_type"):
            if "ebs_encrypted" in u_volumes.reasons:
                u.reasons[attribute] = u_volumes.reasons["ebs_encrypted"]
        protection = u.read(
            "termination_protection",
            lambda: ec2.describe_instance_attribute(InstanceId=iid, Attribute="disableApiTermination")[
                "DisableApiTermination"
            ]["Value"],
        )
        profile_arn = (inst.get("IamInstanceProfile") or {}).get("Arn", "")
        role = None
        if profile_arn:
            profile = u.read(
                "role",
                lambda: iam.get_instance_profile(InstanceProfileName=profile_arn.rsplit("/", 1)[-1])[
                    "InstanceProfile"
                ],
                "NoSuchEntity",
            )
            roles = [r["RoleName"] for r in (profile or {}).get("Roles", [])]
            role = roles[0] if roles else (profile_arn if profile is None else None)
        mappings = [m for m in inst.get("BlockDeviceMappings", []) if (m.get("Ebs") or {}).get("VolumeId")]
        attached = [volumes[m["Ebs"]["VolumeId"]] for m in mappings if m["Ebs"]["VolumeId"] in volumes]
        root = next(
            (
                volumes.get(m["Ebs"]["VolumeId"])
                for m in mappings
                if m.get("DeviceName") == inst.get("RootDeviceName")
            ),
            None,
        )
        groups = {g["GroupId"] for g in inst.get("SecurityGroups", [])}
        for nic in inst.get("NetworkInterfaces", []):  # where the groups are given per interface
            groups.update(g["GroupId"] for g in nic.get("Groups", []))
        metadata = inst.get("MetadataOptions") or {}
        return InstanceState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=iid,
            ids=[iid],
            unreadable=u.reasons,
            tags=tag_dict(inst.get("Tags")),
            instance_type=inst.get("InstanceType", ""),
            subnet=inst.get("SubnetId", ""),
            security_groups=sorted(groups),
            public_ip=bool(inst.get("PublicIpAddress")),
            imdsv2_required=metadata.get("HttpTokens") == "required",
            metadata_hop_limit=int(metadata.get("HttpPutResponseHopLimit", 1)),
            ebs_encrypted=bool(attached) and all(v.get("Encrypted") for v in attached),
            root_volume_size_gb=root.get("Size") if root else None,
            root_volume_type=root.get("VolumeType") if root else None,
            role=role,
            monitoring=(inst.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
            termination_protection=bool(protection),
        )

    ctx.each_desired(ctx.wanted("AWS::EC2::Instance"), read)
