"""Network: the VPC, its subnets per availability zone, NAT, ALB, bastion, endpoints, security groups."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from archkit.spec.base import Cidr, Name, SpecModel

EndpointService = Literal[
    "dynamodb", "s3", "ssm", "secretsmanager", "kms", "logs", "sts", "ssmmessages", "ec2messages"
]
GATEWAY_CAPABLE: frozenset[str] = frozenset({"dynamodb", "s3"})
"""Services AWS offers as gateway endpoints (free, route-table based)."""


class SubnetSpec(SpecModel):
    """One subnet in one availability zone."""

    az: str = Field(description="Availability zone the subnet sits in; must be one of `availability_zones`.")
    cidr: Cidr = Field(
        description="IPv4 CIDR block of the subnet; inside the VPC CIDR, overlapping no other subnet."
    )


class VpcEndpointSpec(SpecModel):
    """A VPC endpoint keeping traffic to an AWS service off the NAT gateways."""

    service: EndpointService = Field(description="AWS service the endpoint reaches.")
    type: Literal["gateway", "interface"] = Field(
        default="interface",
        description="`gateway` (DynamoDB and S3 only, free, route tables) or `interface` (ENI per subnet).",
    )
    private_dns: bool = Field(default=True, description="Enable private DNS for an interface endpoint.")


class SecurityGroupRuleSpec(SpecModel):
    """One ingress or egress rule of a security group."""

    protocol: Literal["tcp", "udp", "icmp", "all"] = Field(default="tcp", description="IP protocol.")
    port: int | None = Field(
        default=None, ge=0, le=65535, description="Port (or first port of a range); none for all."
    )
    to_port: int | None = Field(
        default=None, ge=0, le=65535, description="Last port of a range; defaults to `port`."
    )
    cidr: Cidr | None = Field(default=None, description="Peer CIDR block.")
    security_group: str | None = Field(
        default=None, description="Peer security group (a key of `network.security_groups`)."
    )
    prefix_list: Literal["s3", "dynamodb"] | None = Field(
        default=None, description="Peer AWS-managed prefix list of a gateway endpoint service."
    )
    description: str = Field(default="", description="Why the rule exists (shown in AWS).")


class SecurityGroupSpec(SpecModel):
    """A security group with explicit rules (no implicit allow-all egress)."""

    description: str = Field(description="What the group protects.")
    ingress: list[SecurityGroupRuleSpec] = Field(default=[], description="Inbound rules.")
    egress: list[SecurityGroupRuleSpec] = Field(default=[], description="Outbound rules.")


class AlbSpec(SpecModel):
    """Optional Application Load Balancer in the public subnets."""

    enabled: bool = Field(default=False, description="Create the ALB.")
    internet_facing: bool = Field(default=True, description="Internet-facing (public subnets) or internal.")
    security_group: str | None = Field(default=None, description="Security group key for the ALB.")
    access_logs: bool = Field(default=True, description="Write ALB access logs to the logs bucket.")
    deletion_protection: bool = Field(default=False, description="Protect the load balancer from deletion.")


class BastionSpec(SpecModel):
    """Optional bastion host in a public subnet (SSM Session Manager access, no open SSH by default)."""

    enabled: bool = Field(default=False, description="Create the bastion host.")
    instance_type: str = Field(
        default="t4g.nano", description="EC2 instance type (ARM64 Graviton by default)."
    )
    allowed_cidrs: list[Cidr] = Field(default=[], description="CIDRs allowed to SSH; empty means SSM only.")
    security_group: str | None = Field(default=None, description="Security group key for the bastion.")


class FlowLogsSpec(SpecModel):
    """VPC flow logs."""

    enabled: bool = Field(default=True, description="Capture VPC flow logs.")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = Field(
        default="ALL", description="Which traffic to log."
    )
    destination: Literal["cloudwatch", "s3"] = Field(default="cloudwatch", description="Where the logs go.")
    retention_days: int = Field(default=90, ge=1, description="CloudWatch log retention in days.")


class NetworkSpec(SpecModel):
    """The VPC across the spec's availability zones."""

    vpc_cidr: Cidr = Field(default="10.0.0.0/16", description="CIDR block of the VPC.")
    public_subnets: list[SubnetSpec] = Field(
        default=[], description="Public subnets, one per availability zone (NAT gateways, ALB, bastion)."
    )
    private_subnets: list[SubnetSpec] = Field(
        default=[],
        description="Private subnets with egress via NAT, one per availability zone (Lambda, RDS).",
    )
    nat_gateways: int = Field(
        default=1,
        ge=0,
        description="Number of NAT gateways, placed in the first N public subnets (one per AZ for HA).",
    )
    high_availability: bool = Field(
        default=False, description="Ask for one NAT gateway per availability zone (checked by compliance)."
    )
    alb: AlbSpec = Field(default_factory=AlbSpec, description="Optional Application Load Balancer.")
    bastion: BastionSpec = Field(default_factory=BastionSpec, description="Optional bastion host.")
    endpoints: list[VpcEndpointSpec] = Field(default=[], description="VPC endpoints.")
    security_groups: dict[Name, SecurityGroupSpec] = Field(
        default={}, description="Security groups by key; functions refer to them by key."
    )
    flow_logs: FlowLogsSpec = Field(default_factory=FlowLogsSpec, description="VPC flow logs.")
