"""Spec -> desired states: what a correct deployment of the spec looks like, in the normalized state types.

Every resource of the inventory (`archkit.spec.inventory.resources`) whose CloudFormation type has a state
kind gets one state here; route tables are added per subnet. Imports pydantic (via the spec) only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from archkit.spec import ArchSpec
from archkit.spec.compute import FunctionSpec
from archkit.spec.conventions import (
    ALB_ACCESS_LOG_PREFIX,
    ALB_DEFAULT_ACTION,
    MANAGED_RULE_GROUPS,
    managed_rule_group_id,
)
from archkit.spec.data import BucketSpec, TableSpec
from archkit.spec.inventory import Resource, resources
from archkit.spec.naming import (
    ID_TAG,
    alb_host_name,
    api_model_name,
    database_secret_key,
    function_role_name,
    kms_alias,
    physical_name,
    resource_tags,
    secret_env_var,
)
from archkit.spec.network import SecurityGroupRuleSpec
from archkit.spec.placeholders import resolve_placeholders
from archkit.spec.wiring import (
    DB_HOST_VAR,
    DB_NAME_VAR,
    DB_PORT_VAR,
    database_functions,
    derived_security_group_rules,
    function_secret_keys,
)
from archkit.verify.state import (
    STATE_BY_CFN_TYPE,
    AnomalyMonitorState,
    ApiKeyState,
    ApiState,
    AuthorizerState,
    BucketState,
    BudgetState,
    CorsState,
    DbInstanceState,
    DbSubnetGroupState,
    DistributionState,
    EventSourceState,
    FlowLogState,
    FunctionState,
    HostedZoneState,
    IndexState,
    InstanceState,
    IntelligentTieringState,
    KeyState,
    KmsKeyState,
    LayerState,
    LifecycleRuleState,
    ListenerRuleState,
    ListenerState,
    LoadBalancerState,
    MethodState,
    NatGatewayState,
    PolicyStatementState,
    PublicAccessBlockState,
    QuotaState,
    ResourceState,
    RoleState,
    RouteTableState,
    ScalingState,
    SecretState,
    SecurityGroupState,
    StageLoggingState,
    SubnetState,
    TableState,
    TargetGroupState,
    ThrottlingState,
    TransitionState,
    UsagePlanState,
    VpcEndpointState,
    VpcLinkState,
    VpcState,
    WebAclState,
)

EC2_NAMED_TYPES = frozenset(
    {
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::RouteTable",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::FlowLog",
        "AWS::EC2::Instance",
    }
)
"""EC2 resources have no name attribute: their physical name is their `Name` tag."""

DATABASE_SECRET_PATH = "rds.credentials"
"""Spec path of the credentials secret generated when `rds.credentials_secret` names none."""

API_ORIGIN = "api"
"""Origin / alias target name of the REST API (its spec path)."""


def route_table_path(subnet_path: str) -> str:
    """Spec path of the route table of a subnet: ``network.private_subnets.0.route_table``."""
    return f"{subnet_path}.route_table"


def tags_of(spec: ArchSpec, res: Resource) -> dict[str, str]:
    """The desired tag set: cost tags + `archkit:id`, plus `Name` on EC2 resources."""
    cls = STATE_BY_CFN_TYPE.get(res.type)
    if cls is not None and not cls.TAGGABLE:
        return {}
    tags = resource_tags(spec, res.path)
    if res.type in EC2_NAMED_TYPES:
        tags["Name"] = res.name
    return tags


def rule_key(protocol: str, from_port: int | None, to_port: int | None, peer: str) -> str:
    """Key of a security group rule, identical for the spec and the account: ``tcp 443 cidr 10.0.0.0/16``."""
    if protocol == "all" or from_port is None:
        ports = "all"
    elif to_port is None or to_port == from_port:
        ports = str(from_port)
    else:
        ports = f"{from_port}-{to_port}"
    return f"{protocol} {ports} {peer}"


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


def resolve_env_value(spec: ArchSpec, value: str) -> str:
    """Resolve the account-independent placeholders; ARNs and the API URL stay as `${...}` tokens."""
    return resolve_placeholders(spec, value)


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


# --- per kind -----------------------------------------------------------------------------------------------


def _base(spec: ArchSpec, res: Resource) -> dict[str, object]:
    return {"path": res.path, "resource_type": res.type, "physical_id": res.name, "tags": tags_of(spec, res)}


def _network(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    net = spec.network
    base = _base(spec, res)
    parts = res.path.split(".")
    if res.type == "AWS::EC2::VPC":
        return [VpcState(**base, cidr=net.vpc_cidr)]
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
        table = RouteTableState(**_base(spec, rt), subnets=[res.path], routes=routes)
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
    if res.type == "AWS::EC2::Instance":
        return [_bastion(spec, base)]
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


def group_paths(key: str | None) -> list[str]:
    """Spec paths of the security group a spec key names (none: no group)."""
    return [f"network.security_groups.{key}"] if key else []


def private_subnet_paths(spec: ArchSpec) -> list[str]:
    return [f"network.private_subnets.{i}" for i in range(len(spec.network.private_subnets))]


def bastion_role_name(spec: ArchSpec) -> str:
    """Name of the bastion's role (the one behind its instance profile)."""
    return f"{physical_name(spec, 'bastion')}-role"


def _bastion(spec: ArchSpec, base: dict[str, object]) -> InstanceState:
    bastion = spec.network.bastion
    return InstanceState(
        **base,
        instance_type=bastion.instance_type,
        subnet="network.public_subnets.0",
        security_groups=group_paths(bastion.security_group),
        public_ip=bastion.public_ip,
        imdsv2_required=True,
        metadata_hop_limit=1,
        ebs_encrypted=True,
        root_volume_size_gb=bastion.volume_size_gb,
        root_volume_type="gp3",
        role=bastion_role_name(spec),
        monitoring=True,
        termination_protection=True,
    )


def log_bucket(spec: ArchSpec) -> str | None:
    """Bucket key receiving the system's logs (flow logs to S3, the load balancer's access logs): `logs` if
    declared, else the first access-log target."""
    if "logs" in spec.buckets:
        return "logs"
    targets = [b.access_logs_bucket for b in spec.buckets.values() if b.access_logs_bucket]
    if spec.edge.cdn.logs_bucket:
        targets.append(spec.edge.cdn.logs_bucket)
    return targets[0] if targets else None


def alb_alias_record(spec: ArchSpec) -> bool:
    """Whether the load balancer's HTTPS name gets an alias record (its certificate is validated) in the
    hosted zone."""
    alb = spec.network.alb
    return (
        alb.enabled
        and alb.listener.protocol == "HTTPS"
        and alb.listener.certificate_arn is None
        and spec.edge.dns.enabled
    )


def _load_balancer(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    alb, net = spec.network.alb, spec.network
    base = _base(spec, res)
    if res.type == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        tier = "public" if alb.internet_facing else "private"
        logs = log_bucket(spec) if alb.access_logs else None
        return [
            LoadBalancerState(
                **base,
                scheme="internet-facing" if alb.internet_facing else "internal",
                subnets=[f"network.{tier}_subnets.{i}" for i in range(len(getattr(net, f"{tier}_subnets")))],
                security_groups=group_paths(alb.security_group),
                deletion_protection=alb.deletion_protection,
                drop_invalid_headers=True,
                http2=True,
                idle_timeout_seconds=alb.idle_timeout_seconds,
                access_logs=logs is not None,
                access_logs_bucket=f"buckets.{logs}" if logs else None,
                access_logs_prefix=ALB_ACCESS_LOG_PREFIX if logs else None,
            )
        ]
    if res.type == "AWS::ElasticLoadBalancingV2::Listener":
        listener = alb.listener
        https = listener.protocol == "HTTPS"
        return [
            ListenerState(
                **base,
                load_balancer="network.alb",
                port=listener.port,
                protocol=listener.protocol,
                certificate=(listener.certificate_arn or alb_host_name(spec)) if https else None,
                ssl_policy=listener.ssl_policy if https else None,
                default_action=ALB_DEFAULT_ACTION,
                rules={
                    str(priority): ListenerRuleState(
                        paths=list(target.paths), target_group=f"network.alb.targets.{key}"
                    )
                    for priority, (key, target) in enumerate(alb.targets.items(), start=1)
                },
            )
        ]
    key = res.path.rsplit(".", 1)[-1]
    target = alb.targets[key]
    return [
        TargetGroupState(
            **base,
            target_type="lambda",
            targets=[f"functions.{key}"],
            health_check=target.health_check,
            multi_value_headers=target.multi_value_headers,
        )
    ]


def _database(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    rds = spec.rds
    base = _base(spec, res)
    if res.type == "AWS::RDS::DBSubnetGroup":
        return [
            DbSubnetGroupState(
                **base,
                description=f"Private subnets of {physical_name(spec, 'db')}",
                subnets=private_subnet_paths(spec),
            )
        ]
    return [
        DbInstanceState(
            **base,
            engine=rds.engine,
            engine_version=rds.engine_version,
            instance_class=rds.instance_class,
            allocated_storage_gb=rds.allocated_storage_gb,
            storage_type=rds.storage_type,
            multi_az=rds.multi_az,
            port=rds.effective_port(),
            database_name=rds.database_name,
            master_username=rds.master_username,
            storage_encrypted=True,
            kms_key=f"security.kms_keys.{rds.kms_key}" if rds.kms_key else None,
            subnet_group="rds.subnet_group",
            security_groups=group_paths(rds.security_group),
            backup_retention_days=rds.backup_retention_days,
            deletion_protection=rds.deletion_protection,
            iam_authentication=rds.iam_authentication,
            publicly_accessible=False,
            log_exports=rds.log_exports(),
            auto_minor_version_upgrade=rds.auto_minor_version_upgrade,
            copy_tags_to_snapshot=True,
        )
    ]


def database_secret_description(spec: ArchSpec) -> str:
    return f"Master credentials of {physical_name(spec, 'db')}"


def secret_path(spec: ArchSpec, key: str) -> str:
    """Spec path of a secret key a function reads (the generated database credentials: `rds.credentials`)."""
    if spec.rds.enabled and spec.rds.credentials_secret is None and key == database_secret_key(spec):
        return DATABASE_SECRET_PATH
    return f"secrets.{key}"


def _security(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    base = _base(spec, res)
    key = res.path.split(".")[-1]
    if res.path == DATABASE_SECRET_PATH:
        return [
            SecretState(
                **base,
                description=database_secret_description(spec),
                kms_key=f"security.kms_keys.{spec.rds.kms_key}" if spec.rds.kms_key else None,
                rotation_enabled=False,
                rotation_days=None,
                rotation_function=None,
            )
        ]
    if res.type == "AWS::KMS::Key":
        k = spec.security.kms_keys[key]
        return [KmsKeyState(**base, description=k.description, enabled=True, rotation=k.rotation)]
    if res.type == "AWS::IAM::Role":
        r = spec.security.roles[key]
        return [RoleState(**base, description=r.description, assumed_by=[r.assumed_by])]
    if res.type == "AWS::SecretsManager::Secret":
        s = spec.secrets[key]
        return [
            SecretState(
                **base,
                description=s.description,
                kms_key=f"security.kms_keys.{s.kms_key}" if s.kms_key else None,
                rotation_enabled=s.rotation is not None,
                rotation_days=s.rotation.days if s.rotation else None,
                rotation_function=f"functions.{s.rotation.function}" if s.rotation else None,
            )
        ]
    return []


def function_environment(spec: ArchSpec, fn: FunctionSpec, key: str | None = None) -> dict[str, str]:
    env = {name: resolve_env_value(spec, value) for name, value in fn.environment.items()}
    secrets = function_secret_keys(spec, key) if key is not None else list(fn.secrets)
    for secret in secrets:
        env[secret_env_var(secret)] = "${" + secret_path(spec, secret) + ".arn}"
    if key is not None and key in database_functions(spec):
        env[DB_HOST_VAR] = "${rds.address}"
        env[DB_PORT_VAR] = str(spec.rds.effective_port())
        env[DB_NAME_VAR] = spec.rds.database_name
    return env


def _function(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    key = res.path.split(".", 1)[1]
    fn = spec.functions[key]
    private = private_subnet_paths(spec)
    sources = {
        f"tables.{tkey}": EventSourceState(
            batch_size=t.stream.batch_size,
            starting_position=t.stream.starting_position,
            retry_attempts=t.stream.retry_attempts,
            on_failure_destination=t.stream.on_failure_queue,
            enabled=True,
        )
        for tkey, t in spec.tables.items()
        if t.stream is not None and t.stream.consumer == key
    }
    return [
        FunctionState(
            **_base(spec, res),
            runtime=fn.runtime,
            architecture=fn.architecture,
            handler=fn.handler,
            memory=fn.memory,
            timeout=fn.timeout,
            ephemeral_storage=fn.ephemeral_storage,
            tracing=fn.tracing,
            reserved_concurrency=fn.reserved_concurrency,
            role=function_role_name(spec, key),
            subnets=private if fn.vpc else [],
            security_groups=[f"network.security_groups.{g}" for g in fn.security_groups] if fn.vpc else [],
            layers=[f"layers.{layer}" for layer in fn.layers],
            environment=function_environment(spec, fn, key),
            event_sources=sources,
            log_retention_days=fn.log_retention_days,
        )
    ]


def _layer(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    layer = spec.layers[res.path.split(".", 1)[1]]
    return [
        LayerState(
            **_base(spec, res),
            description=layer.description,
            compatible_runtimes=list(layer.compatible_runtimes),
            compatible_architectures=list(layer.compatible_architectures),
        )
    ]


def _key(spec_key: object) -> KeyState:
    return KeyState.model_validate(spec_key, from_attributes=True)


def _table(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    t: TableSpec = spec.tables[res.path.split(".", 1)[1]]
    provisioned = t.billing == "provisioned"
    indexes = {
        name: IndexState(
            partition_key=_key(ix.partition_key),
            sort_key=_key(ix.sort_key) if ix.sort_key else None,
            projection=ix.projection,
            non_key_attributes=list(ix.non_key_attributes) if ix.projection == "include" else [],
            read_capacity=(ix.read_capacity or t.read_capacity) if provisioned else None,
            write_capacity=(ix.write_capacity or t.write_capacity) if provisioned else None,
        )
        for name, ix in t.indexes.items()
    }
    scaling: dict[str, ScalingState] = {}
    if provisioned and t.auto_scaling is not None:
        one = ScalingState.model_validate(t.auto_scaling, from_attributes=True)
        scaling = {"read": one, "write": one}
    return [
        TableState(
            **_base(spec, res),
            partition_key=_key(t.partition_key),
            sort_key=_key(t.sort_key) if t.sort_key else None,
            indexes=indexes,
            billing=t.billing,
            read_capacity=t.read_capacity if provisioned else None,
            write_capacity=t.write_capacity if provisioned else None,
            auto_scaling=scaling,
            point_in_time_recovery=t.point_in_time_recovery,
            encryption=t.encryption,
            kms_key=f"security.kms_keys.{t.kms_key}"
            if t.encryption == "customer_managed" and t.kms_key
            else None,
            stream_view=t.stream.view if t.stream else None,
            ttl_attribute=t.ttl_attribute,
            replicas=[r for r in t.replicas if r != spec.region],
            deletion_protection=t.deletion_protection,
            table_class=t.table_class,
        )
    ]


def bucket_policy_principal(principal: str) -> str:
    """Spec principal (`cloudfront`, `functions.x`, `roles.x`) as a state reads it: `cloudfront` or the
    principal's spec path (`functions.x` for its execution role, `security.roles.x`)."""
    if principal.startswith("roles."):
        return f"security.{principal}"
    return principal


def _bucket(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    b: BucketSpec = spec.buckets[res.path.split(".", 1)[1]]
    on = b.block_public_access
    tiering = []
    if b.intelligent_tiering.enabled:
        it = b.intelligent_tiering
        tiering.append(
            IntelligentTieringState(
                prefix=it.prefix,
                archive_access_days=it.archive_access_days,
                deep_archive_access_days=it.deep_archive_access_days,
            )
        )
    return [
        BucketState(
            **_base(spec, res),
            public_access_block=PublicAccessBlockState(
                block_public_acls=on,
                ignore_public_acls=on,
                block_public_policy=on,
                restrict_public_buckets=on,
            ),
            encryption=b.encryption,
            kms_key=f"security.kms_keys.{b.kms_key}" if b.encryption == "kms" and b.kms_key else None,
            versioning=b.versioning,
            lifecycle_rules={
                r.id: LifecycleRuleState(
                    prefix=r.prefix,
                    enabled=True,
                    transitions=[
                        TransitionState(storage_class=t.storage_class, days=t.days) for t in r.transitions
                    ],
                    expiration_days=r.expiration_days,
                    noncurrent_expiration_days=r.noncurrent_expiration_days,
                    abort_incomplete_multipart_days=r.abort_incomplete_multipart_days,
                )
                for r in b.lifecycle
            },
            policy_statements={
                p.sid: PolicyStatementState(
                    effect="Allow",
                    principal=bucket_policy_principal(p.principal),
                    access=p.access,
                    prefix=p.prefix,
                )
                for p in b.policies
            },
            enforce_tls=b.enforce_tls,
            logging_bucket=f"buckets.{b.access_logs_bucket}" if b.access_logs_bucket else None,
            intelligent_tiering=tiering,
            object_ownership=b.object_ownership,
        )
    ]


def method_key(verb: str, path: str) -> str:
    return f"{verb} {path}"


_PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\+?\}")


def path_parameters(path: str) -> list[str]:
    """Names of the path parameters of an API resource path (`/api/users/{id}` -> `[id]`)."""
    return _PATH_PARAMETER.findall(path)


def _api(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    api = spec.api
    base = _base(spec, res)
    if res.type == "AWS::ApiGateway::RestApi":
        methods = {}
        for path, verb, m in api.methods():
            auth = api.authorizer_of(m)
            mapped = m.integration == "mapped"
            via_link = m.integration == "vpc_link"
            parameters = dict(m.request_parameters)
            if via_link:  # the integration maps each path parameter, so the method declares it
                parameters.update({f"method.request.path.{p}": True for p in path_parameters(path)})
            methods[method_key(verb, path)] = MethodState(
                function=f"functions.{m.function}",
                integration=m.integration,
                authorizer=f"api.authorizers.{auth}" if auth else None,
                api_key_required=m.api_key_required,
                validation=m.effective_validation(),
                request_model=api_model_name(m.request_model) if m.request_model else None,
                request_parameters=parameters,
                request_templates=dict(m.request_templates) if mapped else {},
                response_templates=dict(m.response_templates) if mapped else {},
                vpc_link="api.vpc_link" if via_link else None,
                integration_target="network.alb" if via_link else None,
            )
        cors = None
        if api.cors.enabled:
            c = api.cors
            cors = CorsState(
                allow_origins=list(c.allow_origins),
                allow_methods=list(c.allow_methods),
                allow_headers=list(c.allow_headers),
                max_age_seconds=c.max_age_seconds,
                allow_credentials=c.allow_credentials,
            )
        lg = api.logging
        return [
            ApiState(
                **base,
                description=api.description,
                endpoint_type=api.endpoint_type,
                stage=api.stage,
                methods=methods,
                models={api_model_name(name): schema for name, schema in api.models.items()},
                cors=cors,
                throttling=ThrottlingState(rate=api.throttling.rate, burst=api.throttling.burst),
                logging=StageLoggingState(
                    access_logs=lg.access_logs,
                    execution_level=lg.execution_level,
                    data_trace=lg.data_trace,
                    metrics=lg.metrics,
                ),
                tracing=api.tracing,
                minimum_compression_size=api.minimum_compression_size,
                ip_allow_list=list(api.ip_allow_list),
            )
        ]
    key = res.path.split(".")[-1]
    if res.type == "AWS::ApiGateway::Authorizer":
        a = api.authorizers[key]
        return [
            AuthorizerState(
                **base,
                type=a.type,
                function=f"functions.{a.function}",
                identity_source=a.identity_source,
                result_ttl_seconds=a.result_ttl_seconds,
            )
        ]
    if res.type == "AWS::ApiGateway::ApiKey":
        return [ApiKeyState(**base, enabled=True)]
    if res.type == "AWS::ApiGatewayV2::VpcLink":
        link = api.vpc_link
        return [
            VpcLinkState(
                **base,
                version="V2",
                subnets=private_subnet_paths(spec),
                security_groups=group_paths(link.security_group),
            )
        ]
    if res.type == "AWS::ApiGateway::UsagePlan":
        p = api.usage_plans[key]
        return [
            UsagePlanState(
                **base,
                description=p.description,
                throttling=ThrottlingState(rate=p.throttling.rate, burst=p.throttling.burst)
                if p.throttling
                else None,
                quota=QuotaState(limit=p.quota.limit, period=p.quota.period) if p.quota else None,
                api_keys=[f"api.api_keys.{k}" for k in p.api_keys],
                stages=[f"api:{api.stage}"],
            )
        ]
    return []


def record_key(record_type: str, name: str, domain: str) -> str:
    fqdn = f"{name}.{domain}" if name else domain
    return f"{record_type} {fqdn.rstrip('.').lower()}"


def _edge(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    edge = spec.edge
    base = _base(spec, res)
    if res.type == "AWS::Route53::HostedZone":
        records = {
            record_key(r.type, r.name, edge.dns.domain_name): (
                "edge.cdn" if r.target == "cdn" else API_ORIGIN
            )
            for r in edge.dns.records
        }
        if alb_alias_record(spec):
            records[f"A {alb_host_name(spec).rstrip('.').lower()}"] = "network.alb"
        return [HostedZoneState(**base, name=edge.dns.domain_name, private=False, records=records)]
    if res.type == "AWS::CloudFront::Distribution":
        cdn = edge.cdn
        origins = {
            f"buckets.{cdn.static_bucket}": "/" + cdn.static_prefix.strip("/")
            if cdn.static_prefix.strip("/")
            else ""
        }
        behaviors = {}
        if spec.api.routes:
            origins[API_ORIGIN] = f"/{spec.api.stage}"
            behaviors[cdn.api_path_pattern] = API_ORIGIN
        return [
            DistributionState(
                **base,
                enabled=True,
                aliases=[edge.dns.domain_name] if edge.dns.enabled else [],
                origins=origins,
                default_origin=f"buckets.{cdn.static_bucket}",
                behaviors=behaviors,
                web_acl="edge.waf" if edge.waf.enabled else None,
                minimum_tls=cdn.minimum_tls,
                viewer_protocol=cdn.viewer_protocol,
                compression=cdn.compression,
                price_class=cdn.price_class,
                http_version=cdn.http_version,
                default_root_object=cdn.default_root_object,
                logging_bucket=f"buckets.{cdn.logs_bucket}" if cdn.logs_bucket else None,
            )
        ]
    if res.type == "AWS::WAFv2::WebACL":
        waf = edge.waf
        return [
            WebAclState(
                **base,
                scope="CLOUDFRONT",
                default_action="allow",
                rate_limit=waf.rate_limit,
                managed_rule_groups=[
                    managed_rule_group_id(switch) for switch in MANAGED_RULE_GROUPS if getattr(waf, switch)
                ],
                geo_block=list(waf.geo_block),
                blocked_ips=list(waf.blocked_ips),
            )
        ]
    return []


def _budget(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    b = spec.cost.budgets[res.path.split(".")[-1]]
    return [
        BudgetState(
            **_base(spec, res),
            amount=b.amount,
            currency=b.currency,
            period=b.period,
            alerts=[f"{a.type} {a.threshold_percent:g}" for a in b.alerts],
        )
    ]


def _anomaly_monitor(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    ad = spec.cost.anomaly_detection
    return [
        AnomalyMonitorState(
            **_base(spec, res),
            monitor_type="CUSTOM",  # scoped to this system's Project tag, not the whole account
            frequency=ad.frequency,
            threshold_amount=ad.threshold_amount,
            subscribers=len(ad.emails),
        )
    ]


_BUILDERS: dict[str, Callable[[ArchSpec, Resource], list[ResourceState]]] = {
    "AWS::EC2::VPC": _network,
    "AWS::EC2::Subnet": _network,
    "AWS::EC2::NatGateway": _network,
    "AWS::EC2::VPCEndpoint": _network,
    "AWS::EC2::SecurityGroup": _network,
    "AWS::EC2::FlowLog": _network,
    "AWS::EC2::Instance": _network,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::ElasticLoadBalancingV2::Listener": _load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _load_balancer,
    "AWS::RDS::DBInstance": _database,
    "AWS::RDS::DBSubnetGroup": _database,
    "AWS::KMS::Key": _security,
    "AWS::IAM::Role": _security,
    "AWS::SecretsManager::Secret": _security,
    "AWS::Lambda::LayerVersion": _layer,
    "AWS::Lambda::Function": _function,
    "AWS::DynamoDB::Table": _table,
    "AWS::DynamoDB::GlobalTable": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::ApiGateway::RestApi": _api,
    "AWS::ApiGateway::Authorizer": _api,
    "AWS::ApiGateway::ApiKey": _api,
    "AWS::ApiGateway::UsagePlan": _api,
    "AWS::ApiGatewayV2::VpcLink": _api,
    "AWS::Route53::HostedZone": _edge,
    "AWS::CloudFront::Distribution": _edge,
    "AWS::WAFv2::WebACL": _edge,
    "AWS::Budgets::Budget": _budget,
    "AWS::CE::AnomalyMonitor": _anomaly_monitor,
}


def unsupported_resources(spec: ArchSpec) -> list[Resource]:
    """Declared resources verify has no state kind for (reported `not_checked`, reason `unsupported`)."""
    return [r for r in resources(spec) if r.type not in _BUILDERS]


def desired_states(spec: ArchSpec) -> list[ResourceState]:
    """Every desired state of the spec, in inventory order (route tables follow their subnet)."""
    out: list[ResourceState] = []
    for res in resources(spec):
        builder = _BUILDERS.get(res.type)
        if builder is not None:
            out.extend(builder(spec, res))
    return out


def desired_by_path(spec: ArchSpec) -> dict[str, ResourceState]:
    return {s.path: s for s in desired_states(spec)}


__all__ = [
    "API_ORIGIN",
    "ID_TAG",
    "MANAGED_RULE_GROUPS",
    "desired_by_path",
    "desired_states",
    "kms_alias",
    "method_key",
    "record_key",
    "route_table_path",
    "rule_key",
    "unsupported_resources",
]
