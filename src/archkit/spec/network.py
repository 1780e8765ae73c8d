"""Network: the VPC, its subnets per availability zone, NAT, ALB, bastion, endpoints, security groups."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

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


AlbProtocol = Literal["HTTPS", "HTTP"]


class AlbListenerSpec(SpecModel):
    """The load balancer's one listener.

    HTTPS (the default) serves a regional ACM certificate for `<certificate_name>.<edge.dns.domain_name>`,
    DNS-validated in the hosted zone, and an alias record of that name points at the load balancer; or an
    existing certificate given by `certificate_arn`. Plain HTTP is allowed only on an internal load balancer
    (reached through the API's VPC link inside the VPC).
    """

    protocol: AlbProtocol = Field(default="HTTPS", description="Listener protocol.")
    port: int = Field(default=443, ge=1, le=65535, description="Listener port.")
    certificate_name: str = Field(
        default="alb",
        pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
        description=(
            "HTTPS: DNS label of the load balancer under `edge.dns.domain_name` (`alb` gives "
            "`alb.example.com`): the certificate's name and the alias record pointing at the load balancer."
        ),
    )
    certificate_arn: str | None = Field(
        default=None,
        pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$",
        description="HTTPS: an existing ACM certificate in the spec's region instead of issuing one.",
    )
    ssl_policy: Literal[
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
    ] = Field(default="ELBSecurityPolicy-TLS13-1-2-2021-06", description="HTTPS: TLS negotiation policy.")


class AlbTargetSpec(SpecModel):
    """A Lambda function behind the load balancer and the request paths routed to it.

    A bare list of path patterns is shorthand for `{paths: [...]}`.
    """

    __shorthand__: ClassVar[str] = "a list of path patterns"
    __shorthand_schema__: ClassVar[dict[str, Any]] = {
        "type": "array",
        "items": {"type": "string"},
        "minItems": 1,
        "maxItems": 5,
    }

    paths: list[str] = Field(
        min_length=1,
        max_length=5,
        description=(
            "Path patterns (ALB syntax: `*` any characters, `?` one) forwarded to the function, e.g. "
            "`/internal/*`; at most 5 (one listener rule per target)."
        ),
    )
    health_check: bool = Field(
        default=False,
        description="Health-check the function (each check is an invocation); off by default for Lambda.",
    )
    multi_value_headers: bool = Field(
        default=False, description="Pass repeated headers and query parameters as lists."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"paths": data} if isinstance(data, list) else data


class AlbSpec(SpecModel):
    """Optional Application Load Balancer in the public subnets (private ones when internal).

    Its listener forwards each target's paths to that Lambda function (one target group per function,
    listener rules in declaration order: priority 1, 2, ...); any other path gets a fixed 404.
    """

    enabled: bool = Field(default=False, description="Create the ALB.")
    internet_facing: bool = Field(default=True, description="Internet-facing (public subnets) or internal.")
    security_group: str | None = Field(default=None, description="Security group key for the ALB.")
    access_logs: bool = Field(default=True, description="Write ALB access logs to the logs bucket.")
    deletion_protection: bool = Field(default=False, description="Protect the load balancer from deletion.")
    idle_timeout_seconds: int = Field(default=60, ge=1, le=4000, description="Connection idle timeout.")
    listener: AlbListenerSpec = Field(default_factory=AlbListenerSpec, description="The listener.")
    targets: dict[str, AlbTargetSpec] = Field(
        default={},
        description=(
            "Lambda targets: function key (of `functions`) mapped to the path patterns forwarded to it, e.g. "
            "`{get_items: ['/internal/items', '/internal/items/*']}`."
        ),
    )


class BastionSpec(SpecModel):
    """Optional bastion host (SSM Session Manager access, no open SSH by default).

    `subnet: private` keeps it off the internet: no public address, Session Manager reached through the NAT
    gateways (or the ssm, ssmmessages and ec2messages interface endpoints).
    """

    enabled: bool = Field(default=False, description="Create the bastion host.")
    subnet: Literal["public", "private"] = Field(
        default="public",
        description=(
            "Tier of the subnet the host sits in (the first subnet of that tier). `private` needs NAT "
            "gateways or the ssm, ssmmessages and ec2messages interface endpoints."
        ),
    )
    instance_type: str = Field(
        default="t4g.nano", description="EC2 instance type (ARM64 Graviton by default)."
    )
    allowed_cidrs: list[Cidr] = Field(default=[], description="CIDRs allowed to SSH; empty means SSM only.")
    security_group: str | None = Field(default=None, description="Security group key for the bastion.")
    public_ip: bool = Field(
        default=True,
        description=(
            "Give the host a public IPv4 address: the SSM agent reaches Session Manager over the internet "
            "gateway (without it, the VPC needs ssm, ssmmessages and ec2messages interface endpoints). "
            "Unset, true in a public subnet and false in a private one, where it cannot be true."
        ),
    )
    volume_size_gb: int = Field(default=8, ge=8, le=1024, description="Encrypted gp3 root volume size.")
    database_access: bool = Field(
        default=False,
        description=(
            "Let the bastion reach the RDS database (SSM port forwarding for administrators): a rule "
            "from the bastion's group to the database's group on the database port."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _public_ip_follows_subnet(cls, data: Any) -> Any:
        # A host in a private subnet has no public address unless the spec says so (and validation refuses).
        if isinstance(data, dict) and data.get("subnet") == "private" and "public_ip" not in data:
            return {**data, "public_ip": False}
        return data


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

    enabled: bool = Field(
        default=True,
        description=(
            "Create the VPC. A system whose functions all run outside it (`vpc: false`) and that has no "
            "database, load balancer or bastion may set `false`: no network stack is deployed."
        ),
    )
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
    restrict_default_security_group: bool = Field(
        default=False,
        description=(
            "Remove every rule of the VPC's default security group, so a resource left in it can reach and "
            "be reached by nothing (Security Hub EC2.2). CloudFormation cannot edit that group: a CDK "
            "custom resource (a Lambda function run at deploy time) revokes its rules."
        ),
    )
