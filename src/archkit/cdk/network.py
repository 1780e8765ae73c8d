"""Network domain: the VPC with the spec's explicit subnets, NAT gateways, endpoints, security groups,
flow logs and the optional bastion host."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct

from archkit.cdk.context import BuildContext, name_tag, retention
from archkit.cdk.nag import acknowledge
from archkit.cdk.regions import prefix_list_id
from archkit.spec.conventions import CDK_CUSTOM_RESOURCE_PROVIDER, CDK_DENY_ALL_EGRESS
from archkit.spec.naming import ID_TAG, cost_tags
from archkit.spec.network import SecurityGroupRuleSpec
from archkit.spec.wiring import derived_security_group_rules

_LAMBDA_BASIC_EXECUTION = "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


class NetworkConstruct(Construct):
    """VPC across the spec's availability zones; every CIDR, route and rule comes from ``spec.network``.

    Exposes ``vpc`` (an ``IVpc``), ``public_subnets``/``private_subnets`` (in spec order) and
    ``security_groups`` by spec key, for use by the other archkit constructs or your own.
    """

    def __init__(self, scope: Construct, construct_id: str, *, ctx: BuildContext) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        spec, net = ctx.spec, ctx.spec.network
        region = cdk.Stack.of(self).region

        self.cfn_vpc = ec2.CfnVPC(
            self,
            "Vpc",
            cidr_block=net.vpc_cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            instance_tenancy="default",
        )
        ctx.own("network.vpc", self.cfn_vpc)
        name_tag(self.cfn_vpc, ctx.name("vpc"))
        self.vpc_id = self.cfn_vpc.ref

        igw_attachment: ec2.CfnVPCGatewayAttachment | None = None
        igw: ec2.CfnInternetGateway | None = None
        if net.public_subnets:
            igw = ec2.CfnInternetGateway(self, "InternetGateway")
            ctx.own("network.vpc", igw)
            name_tag(igw, ctx.name("igw"))
            igw_attachment = ec2.CfnVPCGatewayAttachment(
                self, "InternetGatewayAttachment", vpc_id=self.vpc_id, internet_gateway_id=igw.ref
            )

        self.public_subnets: list[ec2.PublicSubnet] = []
        for i, sub in enumerate(net.public_subnets):
            subnet = ec2.PublicSubnet(
                self,
                f"Public{i}",
                availability_zone=sub.az,
                cidr_block=sub.cidr,
                vpc_id=self.vpc_id,
                map_public_ip_on_launch=False,
            )
            assert igw is not None and igw_attachment is not None
            subnet.add_default_internet_route(igw.ref, igw_attachment)
            _explicit_zone(subnet)
            ctx.own(f"network.public_subnets.{i}", subnet)
            name_tag(subnet, ctx.name(f"public-{sub.az}"))
            _own_route_table(ctx, subnet, f"network.public_subnets.{i}", f"public-{sub.az}")
            self.public_subnets.append(subnet)

        # NAT gateways in the first N public subnets, in spec order.
        self.nat_gateway_ids: dict[str, str] = {}
        nat_ids: list[str] = []
        for i, subnet in enumerate(self.public_subnets[: net.nat_gateways]):
            az = net.public_subnets[i].az
            eip = ec2.CfnEIP(self, f"NatEip{i}", domain="vpc")
            ctx.own(f"network.nat_gateways.{i}", eip)
            name_tag(eip, ctx.name(f"nat-{az}"))
            nat = ec2.CfnNatGateway(
                self,
                f"NatGateway{i}",
                subnet_id=subnet.subnet_id,
                allocation_id=eip.attr_allocation_id,
                connectivity_type="public",
            )
            nat.add_resource_dependency(igw_attachment)  # type: ignore[arg-type]
            ctx.own(f"network.nat_gateways.{i}", nat)
            name_tag(nat, ctx.name(f"nat-{az}"))
            self.nat_gateway_ids[az] = nat.ref
            nat_ids.append(nat.ref)

        self.private_subnets: list[ec2.PrivateSubnet] = []
        for i, sub in enumerate(net.private_subnets):
            private = ec2.PrivateSubnet(
                self,
                f"Private{i}",
                availability_zone=sub.az,
                cidr_block=sub.cidr,
                vpc_id=self.vpc_id,
                map_public_ip_on_launch=False,
            )
            # Egress through the NAT gateway of the same zone, else spread over the existing ones.
            nat_id = self.nat_gateway_ids.get(sub.az) or (nat_ids[i % len(nat_ids)] if nat_ids else None)
            if nat_id is not None:
                private.add_default_nat_route(nat_id)
            _explicit_zone(private)
            ctx.own(f"network.private_subnets.{i}", private)
            name_tag(private, ctx.name(f"private-{sub.az}"))
            _own_route_table(ctx, private, f"network.private_subnets.{i}", f"private-{sub.az}")
            self.private_subnets.append(private)

        self.vpc: ec2.IVpc = ec2.Vpc.from_vpc_attributes(
            self,
            "VpcRef",
            vpc_id=self.vpc_id,
            vpc_cidr_block=net.vpc_cidr,
            availability_zones=list(spec.availability_zones),
        )

        self.security_groups: dict[str, ec2.SecurityGroup] = {}
        for key, sg_spec in net.security_groups.items():
            sg = ec2.SecurityGroup(
                self,
                f"SecurityGroup-{key}",
                vpc=self.vpc,
                security_group_name=ctx.name(key),
                description=sg_spec.description,
                allow_all_outbound=False,
                allow_all_ipv6_outbound=False,
            )
            ctx.own(f"network.security_groups.{key}", sg)
            name_tag(sg, ctx.name(key))
            self.security_groups[key] = sg
        for key, sg_spec in net.security_groups.items():
            sg = self.security_groups[key]
            for rule in sg_spec.ingress:
                sg.add_ingress_rule(self._peer(rule, region), _port(rule), rule.description or None)
            for rule in sg_spec.egress:
                sg.add_egress_rule(self._peer(rule, region), _port(rule), rule.description or None)
        # What the enabled optional elements need beyond the declared rules (verify expects the same).
        derived_rules = derived_security_group_rules(spec)
        for derived in derived_rules:
            sg, rule = self.security_groups[derived.group], derived.rule
            add = sg.add_ingress_rule if derived.direction == "ingress" else sg.add_egress_rule
            add(self._peer(rule, region), _port(rule), rule.description or None)
        # CDK emits an egress rule to another security group as a separate resource. A group whose egress
        # rules are all of that kind has no inline egress, and AWS then keeps its default allow-all egress:
        # state CDK's own "disallow all" placeholder inline, as CDK does for a group with no egress at all.
        for key, sg in self.security_groups.items():
            egress = [*net.security_groups[key].egress]
            egress += [d.rule for d in derived_rules if d.group == key and d.direction == "egress"]
            if egress and all(rule.security_group is not None for rule in egress):
                cfn = sg.node.default_child
                assert isinstance(cfn, ec2.CfnSecurityGroup)
                cfn.add_property_override("SecurityGroupEgress", [CDK_DENY_ALL_EGRESS])

        self._endpoints(region)
        if net.restrict_default_security_group:
            self._restrict_default_security_group()
        if net.flow_logs.enabled and net.flow_logs.destination == "cloudwatch":
            self._flow_logs_to_cloudwatch()
        if net.bastion.enabled:
            self._bastion()

    # --------------------------------------------------------------------------------------------
    def subnet_selection(self, tier: str) -> ec2.SubnetSelection:
        subnets = self.private_subnets if tier == "private" else self.public_subnets
        return ec2.SubnetSelection(subnets=list(subnets))

    def _peer(self, rule: SecurityGroupRuleSpec, region: str) -> ec2.IPeer:
        if rule.cidr is not None:
            return ec2.Peer.ipv4(rule.cidr)
        if rule.security_group is not None:
            return self.security_groups[rule.security_group]
        assert rule.prefix_list is not None
        pl = prefix_list_id(region, rule.prefix_list)
        assert pl is not None, "checked by preflight"
        return ec2.Peer.prefix_list(pl)

    def _endpoints(self, region: str) -> None:
        ctx, net = self.ctx, self.ctx.spec.network
        route_tables = [s.route_table.route_table_id for s in self.private_subnets]
        endpoint_sg = self.security_groups.get("endpoints")
        self.endpoints: dict[str, ec2.CfnVPCEndpoint] = {}
        for ep in net.endpoints:
            props: dict[str, Any] = {
                "vpc_id": self.vpc_id,
                "service_name": f"com.amazonaws.{region}.{ep.service}",
                "vpc_endpoint_type": "Gateway" if ep.type == "gateway" else "Interface",
            }
            if ep.type == "gateway":
                props["route_table_ids"] = route_tables
            else:
                props["subnet_ids"] = [s.subnet_id for s in self.private_subnets]
                props["private_dns_enabled"] = ep.private_dns
                if endpoint_sg is not None:
                    props["security_group_ids"] = [endpoint_sg.security_group_id]
            endpoint = ec2.CfnVPCEndpoint(self, f"Endpoint-{ep.service}", **props)
            ctx.own(f"network.endpoints.{ep.service}", endpoint)
            name_tag(endpoint, ctx.name(f"{ep.service}-endpoint"))
            self.endpoints[ep.service] = endpoint

    def _restrict_default_security_group(self) -> None:
        """Revoke the default group's two default rules (all traffic from itself, all traffic out). The SDK
        calls run in CDK's AwsCustomResource provider, allowed these two actions on this one group only."""
        group_id = self.cfn_vpc.attr_default_security_group
        group_arn = cdk.Stack.of(self).format_arn(
            service="ec2", resource="security-group", resource_name=group_id
        )
        calls = {
            "Ingress": {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group_id}]},
            "Egress": {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        }
        for direction, permission in calls.items():
            call = cr.AwsSdkCall(
                service="EC2",
                action=f"revokeSecurityGroup{direction}",
                parameters={"GroupId": group_id, "IpPermissions": [permission]},
                physical_resource_id=cr.PhysicalResourceId.of(f"{group_id}-{direction.lower()}"),
                # Already gone (a re-run, or revoked by hand) is the state asked for.
                ignore_error_codes_matching="InvalidPermission.NotFound",
            )
            resource = cr.AwsCustomResource(
                self,
                f"RestrictDefaultSecurityGroup{direction}",
                on_create=call,
                on_update=call,
                policy=cr.AwsCustomResourcePolicy.from_statements(
                    [
                        iam.PolicyStatement(
                            actions=[f"ec2:RevokeSecurityGroup{direction}"], resources=[group_arn]
                        )
                    ]
                ),
                install_latest_aws_sdk=False,
                timeout=cdk.Duration.minutes(2),
            )
            self.ctx.own("network.vpc", resource)
        # The provider function (one per stack, CDK's) is deployment machinery, not part of the system: it
        # carries none of the system's tags, so verify neither expects it nor reports it as unmanaged.
        provider = cdk.Stack.of(self).node.find_child(CDK_CUSTOM_RESOURCE_PROVIDER)
        for key in (*cost_tags(self.ctx.spec), ID_TAG):
            cdk.Tags.of(provider).remove(key)
        # Its role logs through the AWS-managed policy.
        assert isinstance(resource.grant_principal, Construct)
        cdk.Validations.of(resource.grant_principal).acknowledge(
            cdk.Acknowledgment(
                id=f"AwsSolutions-IAM4[Policy::{_LAMBDA_BASIC_EXECUTION}]",
                reason=(
                    "CDK's AwsCustomResource provider, which revokes the default security group's rules at "
                    "deploy time, writes its own logs through the AWS-managed basic execution policy"
                ),
            )
        )

    def _flow_logs_to_cloudwatch(self) -> None:
        ctx, fl = self.ctx, self.ctx.spec.network.flow_logs
        group = logs.LogGroup(
            self,
            "FlowLogsGroup",
            log_group_name=f"/aws/vpc/flow-logs/{ctx.name('vpc')}",
            retention=retention(fl.retention_days),  # type: ignore[arg-type]
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        role = iam.Role(
            self,
            "FlowLogsRole",
            assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"),
            description=f"Delivers the flow logs of {ctx.name('vpc')} to CloudWatch Logs",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                resources=[group.log_group_arn],
            )
        )
        flow = ec2.CfnFlowLog(
            self,
            "FlowLog",
            resource_id=self.vpc_id,
            resource_type="VPC",
            traffic_type=fl.traffic_type,
            log_destination_type="cloud-watch-logs",
            log_group_name=group.log_group_name,
            deliver_logs_permission_arn=role.role_arn,
            max_aggregation_interval=600,
        )
        for part in (group, role, flow):
            ctx.own("network.flow_logs", part)
        name_tag(flow, ctx.name("flow-logs"))

    def _bastion(self) -> None:
        """SSM-managed host in the first subnet of its tier: no key pair, no SSH unless ``allowed_cidrs`` (the
        derived rules), IMDSv2 only, encrypted root volume, termination protection."""
        ctx, bastion = self.ctx, self.ctx.spec.network.bastion
        private = bastion.subnet == "private"
        subnets = self.private_subnets if private else self.public_subnets
        specs = self.ctx.spec.network.private_subnets if private else self.ctx.spec.network.public_subnets
        if not subnets or bastion.security_group is None:
            return  # both required by the spec validation
        role = iam.Role(
            self,
            "BastionRole",
            role_name=f"{ctx.name('bastion')}-role",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description=f"{ctx.name('bastion')}: SSM Session Manager access only",
            max_session_duration=cdk.Duration.hours(1),
        )
        # Session Manager's minimum (what AmazonSSMManagedInstanceCore holds for sessions, nothing for Run
        # Command or inventory); these actions have no resource-level permissions.
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "ssm:UpdateInstanceInformation",
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                resources=["*"],
            )
        )
        acknowledge(
            role,
            "AwsSolutions-IAM5",
            "the bastion's Session Manager channels (ssm:UpdateInstanceInformation, ssmmessages:*Channel) "
            "have no resource-level permissions",
            ["Resource::*"],
        )
        # CDK places a public address only in a subnet it knows as public: a view of the VPC holding just
        # the host's subnet (the shared view lists no subnets; functions pick theirs explicitly).
        placement = ec2.Vpc.from_vpc_attributes(
            self,
            "BastionPlacement",
            vpc_id=self.vpc_id,
            vpc_cidr_block=self.ctx.spec.network.vpc_cidr,
            availability_zones=[specs[0].az],
            public_subnet_ids=None if private else [subnets[0].subnet_id],
            private_subnet_ids=[subnets[0].subnet_id] if private else None,
        )
        instance = ec2.Instance(
            self,
            "Bastion",
            vpc=placement,
            vpc_subnets=ec2.SubnetSelection(
                subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS if private else ec2.SubnetType.PUBLIC
            ),
            instance_type=ec2.InstanceType(bastion.instance_type),
            machine_image=ec2.MachineImage.latest_amazon_linux2023(cpu_type=_cpu(bastion.instance_type)),
            security_group=self.security_groups[bastion.security_group],
            role=role,
            instance_name=ctx.name("bastion"),
            http_endpoint=True,
            http_tokens=ec2.HttpTokens.REQUIRED,
            http_put_response_hop_limit=1,
            instance_metadata_tags=False,
            detailed_monitoring=True,
            disable_api_termination=True,
            ebs_optimized=True,
            associate_public_ip_address=bastion.public_ip,
            source_dest_check=True,
            propagate_tags_to_volume_on_creation=True,
            block_devices=[
                ec2.BlockDevice(
                    device_name="/dev/xvda",
                    volume=ec2.BlockDeviceVolume.ebs(
                        bastion.volume_size_gb,
                        encrypted=True,
                        volume_type=ec2.EbsDeviceVolumeType.GP3,
                        delete_on_termination=True,
                    ),
                )
            ],
        )
        _explicit_zone(instance)
        for part in (instance, role):
            ctx.own("network.bastion", part)
        name_tag(instance, ctx.name("bastion"))
        self.bastion = instance


def _own_route_table(ctx: BuildContext, subnet: Construct, subnet_path: str, name_key: str) -> None:
    """A subnet's route table is a resource of its own: its own spec path (`<subnet>.route_table`, as verify
    reads it) and name, rather than the subnet's tags cascading onto it."""
    table = subnet.node.find_child("RouteTable")
    ctx.own(f"{subnet_path}.route_table", table)
    name_tag(table, ctx.name(f"{name_key}-routes"))


def _explicit_zone(subnet: Construct) -> None:
    # CDK's CloudFormation validation warns about literal zones; the spec names them on purpose.
    cdk.Validations.of(subnet).acknowledge(
        cdk.Acknowledgment(
            id="CloudFormation-Validate::W3010",
            reason="availability zones are explicit in the spec (availability_zones, network.*_subnets)",
        )
    )


def _cpu(instance_type: str) -> ec2.AmazonLinuxCpuType:
    family = instance_type.split(".")[0]
    graviton = family.endswith("g") or "g" in family[1:]
    return ec2.AmazonLinuxCpuType.ARM_64 if graviton else ec2.AmazonLinuxCpuType.X86_64


def _port(rule: SecurityGroupRuleSpec) -> ec2.Port:
    if rule.protocol == "all":
        return ec2.Port.all_traffic()
    if rule.protocol == "icmp":
        return ec2.Port.all_icmp() if rule.port is None else ec2.Port.icmp_type(rule.port)
    if rule.port is None:
        return ec2.Port.all_tcp() if rule.protocol == "tcp" else ec2.Port.all_udp()
    last = rule.to_port if rule.to_port is not None else rule.port
    if rule.protocol == "tcp":
        return ec2.Port.tcp(rule.port) if last == rule.port else ec2.Port.tcp_range(rule.port, last)
    return ec2.Port.udp(rule.port) if last == rule.port else ec2.Port.udp_range(rule.port, last)
