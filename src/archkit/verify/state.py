"""Normalized state models: one per resource kind, produced as *desired* (from the spec) and *observed*
(from the account), so drift is a plain diff and compliance rules run on either side.

Normalisation lives here, in the models, so both sides agree by construction:

- references to other resources are spec paths (``network.security_groups.lambda``,
  ``security.kms_keys.data``), never ARNs or AWS ids; an observed reference that matches nothing in the spec
  stays raw (an ARN or id), which then shows up as drift;
- unordered collections are sorted lists or dicts keyed by a natural key (index name, rule id, ``GET /path``);
- AWS-reserved tags (``aws:*``) are dropped.

This module imports pydantic only (no boto3), so rules and docs can use it freely.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _sorted_unique(values: list[str]) -> list[str]:
    return sorted(set(values))


_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY)", re.IGNORECASE)
_PLACEHOLDER_ONLY = re.compile(r"^\$\{[A-Za-z0-9_.]+\}$")


def mask_env_value(name: str, value: str) -> str:
    """A secret-looking variable's value becomes a digest, so drift is seen but the value never printed.

    Placeholders (`${secrets.x.arn}`) and ARNs are references, not secrets, and stay readable.
    """
    if not _SECRET_NAME.search(name) or _PLACEHOLDER_ONLY.match(value) or value.startswith("arn:"):
        return value
    if value.startswith("sha256:"):
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:16]


SortedSet = Annotated[list[str], AfterValidator(_sorted_unique)]
"""A set of strings, kept as a sorted list so it serialises deterministically."""


class StateModel(BaseModel):
    """Base of every state part: immutable, unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ResourceState(StateModel):
    """Fields every resource state carries. Only the fields below ``COMPARED_FROM`` take part in drift."""

    kind: ClassVar[str] = "resource"
    TAGGABLE: ClassVar[bool] = True
    """False for kinds AWS cannot tag (layers, authorizers, budgets): their desired tags are empty."""
    IDENTITY_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"path", "resource_type", "physical_id", "arn", "ids", "unreadable"}
    )
    """Fields that identify the resource rather than describe it; drift never compares them."""

    path: str = Field(description="Spec path, e.g. `tables.main`; also the `archkit:id` tag value.")
    resource_type: str = Field(description="CloudFormation type, e.g. `AWS::DynamoDB::Table`.")
    physical_id: str = Field(
        description="Name or AWS id (desired side: the physical name from the naming function)."
    )
    arn: str | None = Field(default=None, description="ARN when known (observed side).")
    ids: list[str] = Field(
        default_factory=list,
        description="AWS-generated ids, ARNs and domain names other resources may use to refer to this one.",
    )
    unreadable: dict[str, str] = Field(
        default_factory=dict,
        description="Attribute path -> why it could not be read (AccessDenied, unsupported); not_checked.",
    )
    tags: dict[str, str] = Field(default_factory=dict, description="Tags, without AWS-reserved `aws:*` keys.")

    @field_validator("tags")
    @classmethod
    def _drop_reserved_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        return {k: tags[k] for k in sorted(tags) if not k.startswith("aws:")}

    def attributes(self) -> dict[str, Any]:
        """The compared attributes as plain JSON-able data."""
        return self.model_dump(mode="json", exclude=set(self.IDENTITY_FIELDS))


# --- Network ---------------------------------------------------------------------------------------------


class VpcState(ResourceState):
    kind: ClassVar[str] = "vpc"
    cidr: str


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


class InstanceState(ResourceState):
    """An EC2 instance (the bastion host)."""

    kind: ClassVar[str] = "instance"
    instance_type: str
    subnet: str = Field(description="Spec path of the subnet it runs in.")
    security_groups: SortedSet = Field(description="Spec paths of its security groups.")
    public_ip: bool = Field(description="Has a public IPv4 address.")
    imdsv2_required: bool = Field(description="Instance metadata only with session tokens (IMDSv2).")
    metadata_hop_limit: int
    ebs_encrypted: bool = Field(description="Every attached EBS volume is encrypted.")
    root_volume_size_gb: int | None
    root_volume_type: str | None
    role: str | None = Field(description="Name of the IAM role behind the instance profile.")
    monitoring: bool = Field(description="Detailed (1-minute) CloudWatch monitoring.")
    termination_protection: bool


class FlowLogState(ResourceState):
    kind: ClassVar[str] = "flow_log"
    resource: str = Field(description="Spec path of the logged resource (`network.vpc`).")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"]
    destination: Literal["cloudwatch", "s3"]
    retention_days: int | None = Field(
        description="CloudWatch log group retention; None for S3 or never-expire."
    )


# --- Security --------------------------------------------------------------------------------------------


class KmsKeyState(ResourceState):
    kind: ClassVar[str] = "kms_key"
    description: str
    enabled: bool
    rotation: bool


class RoleState(ResourceState):
    kind: ClassVar[str] = "role"
    description: str
    assumed_by: SortedSet = Field(description="Service principals in the trust policy.")


class SecretState(ResourceState):
    """A secret's metadata. Values are never read."""

    kind: ClassVar[str] = "secret"
    description: str
    kms_key: str | None = Field(description="Spec path of the customer key; None for aws/secretsmanager.")
    rotation_enabled: bool
    rotation_days: int | None
    rotation_function: str | None = Field(description="Spec path of the rotation function.")


# --- Compute ---------------------------------------------------------------------------------------------


class LayerState(ResourceState):
    """The latest version of a Lambda layer (layers cannot be tagged)."""

    kind: ClassVar[str] = "layer"
    TAGGABLE: ClassVar[bool] = False
    description: str
    compatible_runtimes: SortedSet
    compatible_architectures: SortedSet


class EventSourceState(StateModel):
    batch_size: int
    starting_position: str | None
    retry_attempts: int | None
    on_failure_destination: bool
    enabled: bool


class IamStatementState(StateModel):
    """An Allow statement of an IAM policy, actions and resources as read (sorted)."""

    effect: Literal["Allow", "Deny"]
    actions: SortedSet
    resources: SortedSet

    @classmethod
    def from_policy_document(cls, doc: dict[str, Any] | str) -> list[IamStatementState]:
        """The Allow statements of a policy document (dict or JSON / URL-encoded JSON string)."""
        if isinstance(doc, str):
            from urllib.parse import unquote

            doc = json.loads(unquote(doc) if doc.lstrip().startswith("%") else doc)
        assert isinstance(doc, dict)
        statements = doc.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        out = []
        for st in statements:
            if st.get("Effect") != "Allow":
                continue
            actions = st.get("Action", [])
            res = st.get("Resource", [])
            out.append(
                cls(
                    effect="Allow",
                    actions=[actions] if isinstance(actions, str) else list(actions),
                    resources=[res] if isinstance(res, str) else list(res),
                )
            )
        return sorted(out, key=lambda s: (s.actions, s.resources))


class FunctionState(ResourceState):
    kind: ClassVar[str] = "function"
    IDENTITY_FIELDS: ClassVar[frozenset[str]] = ResourceState.IDENTITY_FIELDS | {"role_statements"}
    runtime: str
    architecture: Literal["arm64", "x86_64"]
    handler: str
    memory: int
    timeout: int
    ephemeral_storage: int
    tracing: bool
    reserved_concurrency: int | None
    role: str = Field(description="Execution role name.")
    subnets: SortedSet = Field(description="Spec paths of the VPC subnets (empty outside the VPC).")
    security_groups: SortedSet = Field(description="Spec paths of the security groups.")
    layers: list[str] = Field(description="Spec paths of the attached layers, in order.")
    environment: dict[str, str] = Field(
        description=(
            "Environment variables. ARNs and URLs of the system's resources read as `${<spec path>.arn}` / "
            "`${api.url}`; values of secret-looking names are replaced by a digest."
        )
    )
    event_sources: dict[str, EventSourceState] = Field(
        description="Source spec path (`tables.main`) -> mapping."
    )
    log_retention_days: int | None = Field(
        description="Retention of /aws/lambda/<name>; None if never-expire."
    )
    role_statements: list[IamStatementState] | None = Field(
        default=None,
        description=(
            "Allow statements of the execution role's policies (observed only; not compared by drift because "
            "the generated grant statements are not something the spec states)."
        ),
    )

    @field_validator("environment")
    @classmethod
    def _mask_secret_values(cls, env: dict[str, str]) -> dict[str, str]:
        return {name: mask_env_value(name, env[name]) for name in sorted(env)}


# --- Data ------------------------------------------------------------------------------------------------


class KeyState(StateModel):
    name: str
    type: Literal["string", "number", "binary"]


class IndexState(StateModel):
    partition_key: KeyState
    sort_key: KeyState | None
    projection: Literal["all", "keys_only", "include"]
    non_key_attributes: SortedSet
    read_capacity: int | None
    write_capacity: int | None


class ScalingState(StateModel):
    min_capacity: int
    max_capacity: int
    target_utilization: int


class TableState(ResourceState):
    kind: ClassVar[str] = "table"
    partition_key: KeyState
    sort_key: KeyState | None
    indexes: dict[str, IndexState]
    billing: Literal["on_demand", "provisioned"]
    read_capacity: int | None = Field(description="None for on-demand tables.")
    write_capacity: int | None = Field(description="None for on-demand tables.")
    auto_scaling: dict[str, ScalingState] = Field(
        description="`read` / `write` -> target tracking; empty if none."
    )
    point_in_time_recovery: bool
    encryption: Literal["aws_owned", "aws_managed", "customer_managed"]
    kms_key: str | None = Field(description="Spec path of the customer key (customer_managed only).")
    stream_view: Literal["keys_only", "new_image", "old_image", "new_and_old_images"] | None
    ttl_attribute: str | None
    replicas: SortedSet = Field(description="Regions holding a replica, besides the primary.")
    deletion_protection: bool
    table_class: str


class PublicAccessBlockState(StateModel):
    block_public_acls: bool
    ignore_public_acls: bool
    block_public_policy: bool
    restrict_public_buckets: bool


class TransitionState(StateModel):
    storage_class: str
    days: int


class LifecycleRuleState(StateModel):
    prefix: str
    enabled: bool
    transitions: list[TransitionState]
    expiration_days: int | None
    noncurrent_expiration_days: int | None
    abort_incomplete_multipart_days: int | None

    @field_validator("transitions")
    @classmethod
    def _by_days(cls, value: list[TransitionState]) -> list[TransitionState]:
        return sorted(value, key=lambda t: (t.days, t.storage_class))


class PolicyStatementState(StateModel):
    """A bucket policy statement reduced to who may do what where."""

    effect: Literal["Allow", "Deny"]
    principal: str = Field(
        description="`cloudfront`, a spec path (`functions.x`, `roles.x`) or the raw principal."
    )
    access: Literal["read", "write", "read_write", "other"]
    prefix: str = Field(description="Key prefix the statement is limited to (`` for the whole bucket).")


class IntelligentTieringState(StateModel):
    prefix: str
    archive_access_days: int | None
    deep_archive_access_days: int | None


class BucketState(ResourceState):
    kind: ClassVar[str] = "bucket"
    public_access_block: PublicAccessBlockState
    encryption: Literal["s3_managed", "kms", "none"]
    kms_key: str | None
    versioning: bool
    lifecycle_rules: dict[str, LifecycleRuleState]
    policy_statements: dict[str, PolicyStatementState] = Field(
        description="Sid -> statement (TLS denial excluded)."
    )
    enforce_tls: bool = Field(description="A Deny statement for requests with aws:SecureTransport false.")
    logging_bucket: str | None = Field(description="Spec path of the bucket receiving server access logs.")
    intelligent_tiering: list[IntelligentTieringState] = Field(
        description="Archive configurations, by prefix."
    )
    object_ownership: str

    @field_validator("intelligent_tiering")
    @classmethod
    def _by_prefix(cls, value: list[IntelligentTieringState]) -> list[IntelligentTieringState]:
        return sorted(value, key=lambda c: c.prefix)


class DbSubnetGroupState(ResourceState):
    kind: ClassVar[str] = "db_subnet_group"
    description: str
    subnets: SortedSet = Field(description="Spec paths of its subnets.")


class DbInstanceState(ResourceState):
    """An RDS DB instance."""

    kind: ClassVar[str] = "db_instance"
    engine: str
    engine_version: str
    instance_class: str
    allocated_storage_gb: int
    storage_type: str
    multi_az: bool
    port: int
    database_name: str | None
    master_username: str
    storage_encrypted: bool
    kms_key: str | None = Field(description="Spec path of the storage encryption key.")
    subnet_group: str | None = Field(description="Spec path of its DB subnet group.")
    security_groups: SortedSet
    backup_retention_days: int
    deletion_protection: bool
    iam_authentication: bool
    publicly_accessible: bool
    log_exports: SortedSet = Field(description="Logs exported to CloudWatch Logs.")
    auto_minor_version_upgrade: bool
    copy_tags_to_snapshot: bool


# --- API Gateway -----------------------------------------------------------------------------------------


class MethodState(StateModel):
    function: str = Field(
        description=(
            "Spec path of the integrated function; for a `vpc_link` method the function the load balancer "
            "routes the integration's path to (by the spec's `network.alb.targets`)."
        )
    )
    integration: Literal["proxy", "mapped", "vpc_link", "other"]
    authorizer: str | None = Field(description="Spec path of the authorizer; None for a public method.")
    api_key_required: bool
    validation: Literal["none", "params", "body", "all"]
    request_model: str | None
    request_parameters: dict[str, bool]
    request_templates: dict[str, str]
    response_templates: dict[str, str]
    vpc_link: str | None = Field(default=None, description="`vpc_link` methods: spec path of the VPC link.")
    integration_target: str | None = Field(
        default=None, description="`vpc_link` methods: spec path of the load balancer the link reaches."
    )


class ThrottlingState(StateModel):
    rate: float
    burst: int


class QuotaState(StateModel):
    limit: int
    period: str


class StageLoggingState(StateModel):
    access_logs: bool
    execution_level: str
    data_trace: bool
    metrics: bool


class CorsState(StateModel):
    allow_origins: SortedSet
    allow_methods: SortedSet
    allow_headers: SortedSet
    max_age_seconds: int | None
    allow_credentials: bool


class ApiState(ResourceState):
    kind: ClassVar[str] = "api"
    description: str
    endpoint_type: str
    stage: str
    methods: dict[str, MethodState] = Field(
        description="`<VERB> <path>` -> method (CORS preflights excluded)."
    )
    models: dict[str, Any] = Field(description="Model name -> JSON schema.")
    cors: CorsState | None = Field(description="CORS preflight answered on every route; None when none is.")
    throttling: ThrottlingState
    logging: StageLoggingState
    tracing: bool
    minimum_compression_size: int | None
    ip_allow_list: SortedSet
    web_acl: str | None = Field(default=None, description="Spec path of a regional web ACL on the stage.")


class AuthorizerState(ResourceState):
    kind: ClassVar[str] = "authorizer"
    TAGGABLE: ClassVar[bool] = False
    type: Literal["token", "request"]
    function: str = Field(description="Spec path of the authorizer function.")
    identity_source: str
    result_ttl_seconds: int


class ApiKeyState(ResourceState):
    kind: ClassVar[str] = "api_key"
    enabled: bool


class UsagePlanState(ResourceState):
    kind: ClassVar[str] = "usage_plan"
    description: str
    throttling: ThrottlingState | None
    quota: QuotaState | None
    api_keys: SortedSet = Field(description="Spec paths of the plan's API keys.")
    stages: SortedSet = Field(description="`<api spec path>:<stage>` the plan applies to.")


class VpcLinkState(ResourceState):
    """An API Gateway VPC link (v2: REST API integrations name their load balancer themselves)."""

    kind: ClassVar[str] = "vpc_link"
    version: str
    subnets: SortedSet = Field(description="Spec paths of the subnets of its network interfaces.")
    security_groups: SortedSet


# --- Load balancer -------------------------------------------------------------------------------------


class LoadBalancerState(ResourceState):
    kind: ClassVar[str] = "load_balancer"
    scheme: Literal["internet-facing", "internal"]
    subnets: SortedSet = Field(description="Spec paths of its subnets.")
    security_groups: SortedSet
    deletion_protection: bool
    drop_invalid_headers: bool = Field(description="routing.http.drop_invalid_header_fields.enabled")
    http2: bool
    idle_timeout_seconds: int
    access_logs: bool
    access_logs_bucket: str | None = Field(description="Spec path of the access log bucket.")
    access_logs_prefix: str | None
    extra_listeners: SortedSet = Field(
        default_factory=list,
        description="`<protocol>:<port>` of listeners the spec does not declare (e.g. one added by hand).",
    )


class ListenerRuleState(StateModel):
    paths: SortedSet = Field(description="Path patterns of the rule's `path-pattern` condition.")
    target_group: str = Field(description="Spec path of the target group it forwards to.")


class ListenerState(ResourceState):
    """A load balancer listener (no name of its own: found on its load balancer by port)."""

    kind: ClassVar[str] = "listener"
    TAGGABLE: ClassVar[bool] = False  # CloudFormation has no Tags on AWS::ElasticLoadBalancingV2::Listener
    load_balancer: str = Field(description="Spec path of its load balancer.")
    port: int
    protocol: str
    certificate: str | None = Field(
        description="Domain name of the ACM certificate it serves, or the ARN the spec names; None for HTTP."
    )
    ssl_policy: str | None
    default_action: str = Field(
        description="`fixed-response <status>`, `forward <target group>` or `redirect <protocol>:<port>`."
    )
    rules: dict[str, ListenerRuleState] = Field(description="Priority -> rule (the default rule excluded).")


class TargetGroupState(ResourceState):
    kind: ClassVar[str] = "target_group"
    target_type: str
    targets: SortedSet = Field(description="Spec paths of the registered targets (functions).")
    health_check: bool
    multi_value_headers: bool


# --- Edge ------------------------------------------------------------------------------------------------


class DistributionState(ResourceState):
    kind: ClassVar[str] = "distribution"
    enabled: bool
    aliases: SortedSet
    origins: dict[str, str] = Field(description="Origin target (`buckets.assets`, `api`) -> origin path.")
    default_origin: str
    behaviors: dict[str, str] = Field(description="Path pattern -> origin target.")
    web_acl: str | None = Field(description="Spec path of the WAF web ACL.")
    minimum_tls: str
    viewer_protocol: str
    compression: bool
    price_class: str
    http_version: str
    default_root_object: str
    logging_bucket: str | None


class WebAclState(ResourceState):
    kind: ClassVar[str] = "web_acl"
    scope: Literal["CLOUDFRONT", "REGIONAL"]
    default_action: Literal["allow", "block"]
    rate_limit: int | None
    managed_rule_groups: SortedSet = Field(description="`<vendor>/<name>` of managed rule groups.")
    geo_block: SortedSet
    blocked_ips: SortedSet


class HostedZoneState(ResourceState):
    kind: ClassVar[str] = "hosted_zone"
    name: str = Field(description="Zone name without the trailing dot.")
    private: bool
    records: dict[str, str] = Field(description="`<type> <name>` -> alias target (`edge.cdn`, `api`).")


# --- Cost ------------------------------------------------------------------------------------------------


class BudgetState(ResourceState):
    kind: ClassVar[str] = "budget"
    TAGGABLE: ClassVar[bool] = False
    amount: float
    currency: str
    period: str
    alerts: SortedSet = Field(description="`<ACTUAL|FORECASTED> <percent>` of each notification.")


class AnomalyMonitorState(ResourceState):
    kind: ClassVar[str] = "anomaly_monitor"
    TAGGABLE: ClassVar[bool] = False
    monitor_type: str
    frequency: str
    threshold_amount: float
    subscribers: int


STATE_TYPES: tuple[type[ResourceState], ...] = (
    VpcState,
    SubnetState,
    RouteTableState,
    NatGatewayState,
    VpcEndpointState,
    SecurityGroupState,
    FlowLogState,
    InstanceState,
    LoadBalancerState,
    ListenerState,
    TargetGroupState,
    KmsKeyState,
    RoleState,
    SecretState,
    LayerState,
    FunctionState,
    TableState,
    BucketState,
    DbSubnetGroupState,
    DbInstanceState,
    ApiState,
    AuthorizerState,
    ApiKeyState,
    UsagePlanState,
    VpcLinkState,
    DistributionState,
    WebAclState,
    HostedZoneState,
    BudgetState,
    AnomalyMonitorState,
)
"""Every state kind, for discovery (rules, docs)."""

STATE_BY_CFN_TYPE: dict[str, type[ResourceState]] = {
    "AWS::EC2::VPC": VpcState,
    "AWS::EC2::Subnet": SubnetState,
    "AWS::EC2::RouteTable": RouteTableState,
    "AWS::EC2::NatGateway": NatGatewayState,
    "AWS::EC2::VPCEndpoint": VpcEndpointState,
    "AWS::EC2::SecurityGroup": SecurityGroupState,
    "AWS::EC2::FlowLog": FlowLogState,
    "AWS::EC2::Instance": InstanceState,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": LoadBalancerState,
    "AWS::ElasticLoadBalancingV2::Listener": ListenerState,
    "AWS::ElasticLoadBalancingV2::TargetGroup": TargetGroupState,
    "AWS::KMS::Key": KmsKeyState,
    "AWS::IAM::Role": RoleState,
    "AWS::SecretsManager::Secret": SecretState,
    "AWS::Lambda::LayerVersion": LayerState,
    "AWS::Lambda::Function": FunctionState,
    "AWS::DynamoDB::Table": TableState,
    "AWS::DynamoDB::GlobalTable": TableState,
    "AWS::S3::Bucket": BucketState,
    "AWS::RDS::DBInstance": DbInstanceState,
    "AWS::RDS::DBSubnetGroup": DbSubnetGroupState,
    "AWS::ApiGateway::RestApi": ApiState,
    "AWS::ApiGateway::Authorizer": AuthorizerState,
    "AWS::ApiGateway::ApiKey": ApiKeyState,
    "AWS::ApiGateway::UsagePlan": UsagePlanState,
    "AWS::ApiGatewayV2::VpcLink": VpcLinkState,
    "AWS::CloudFront::Distribution": DistributionState,
    "AWS::WAFv2::WebACL": WebAclState,
    "AWS::Route53::HostedZone": HostedZoneState,
    "AWS::Budgets::Budget": BudgetState,
    "AWS::CE::AnomalyMonitor": AnomalyMonitorState,
}
"""The state kind verify builds for each CloudFormation type; types not listed are reported not_checked."""
