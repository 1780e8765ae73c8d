"""Application Load Balancers: the load balancer by name (attributes), its listeners (matched by `archkit:id`
tag, else by port; rules and certificate) and the target groups by name (attributes, registered targets).
Tags of all of them in batches of 20 ARNs.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import (
    ALB_ACCESS_LOG_PREFIX,
    ALB_DEFAULT_ACTION,
)
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    alb_host_name,
)
from archkit.verify.kinds.base import (
    Kind,
    group_paths,
    identity,
    log_bucket,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    is_not_found,
    paginate,
)
from archkit.verify.state import ResourceState, SortedSet, StateModel

# --- state -----------------------------------------------------------------------------------------------


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


# --- desired ---------------------------------------------------------------------------------------------


def _load_balancer_states(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    alb, net = spec.network.alb, spec.network
    base = identity(spec, res, STATES[res.type])
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


# --- observed --------------------------------------------------------------------------------------------


LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"

TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"

TAG_BATCH = 20
"""DescribeTags accepts at most 20 ARNs per call."""


def _tags(elb: Any, arns: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for i in range(0, len(arns), TAG_BATCH):
        for d in elb.describe_tags(ResourceArns=arns[i : i + TAG_BATCH]).get("TagDescriptions", []):
            out[d["ResourceArn"]] = {t["Key"]: t["Value"] for t in d.get("Tags", [])}
    return out


def _attributes(items: list[dict[str, str]]) -> dict[str, str]:
    return {a["Key"]: a.get("Value", "") for a in items}


def _flag(attributes: dict[str, str], key: str) -> bool:
    """An attribute AWS reports as "true"/"false"; absent means its default, false."""
    return attributes.get(key, "false").lower() == "true"


def action_key(action: dict[str, Any], group_paths: dict[str, str]) -> str:
    """A listener action in state form: `fixed-response 404`, `forward <target group>`,
    `redirect HTTPS:443`."""
    kind = action.get("Type", "")
    if kind == "fixed-response":
        return f"fixed-response {(action.get('FixedResponseConfig') or {}).get('StatusCode', '')}"
    if kind == "redirect":
        cfg = action.get("RedirectConfig") or {}
        return f"redirect {cfg.get('Protocol', '#{protocol}')}:{cfg.get('Port', '#{port}')}"
    if kind == "forward":
        arn = action.get("TargetGroupArn") or next(
            (g["TargetGroupArn"] for g in (action.get("ForwardConfig") or {}).get("TargetGroups", [])), ""
        )
        return f"forward {group_paths.get(arn, arn)}"
    return kind


def _rules(rules: list[dict[str, Any]], group_paths: dict[str, str]) -> dict[str, ListenerRuleState]:
    out: dict[str, ListenerRuleState] = {}
    for r in rules:
        if r.get("IsDefault"):
            continue
        paths: list[str] = []
        for c in r.get("Conditions", []):
            if c.get("Field") == "path-pattern":
                paths += (c.get("PathPatternConfig") or {}).get("Values") or c.get("Values") or []
        forward = next((a for a in r.get("Actions", []) if a.get("Type") == "forward"), None)
        target = action_key(forward, group_paths).split(" ", 1)[1] if forward else ""
        out[str(r["Priority"])] = ListenerRuleState(paths=paths, target_group=target)
    return out


def collect(ctx: Context) -> None:
    wanted = ctx.wanted(*STATES)
    if not wanted:
        return
    elb = ctx.aws.client("elbv2")
    groups_by_name = {
        g["TargetGroupName"]: g for g in paginate(elb, "describe_target_groups", "TargetGroups")
    }
    group_wants = [w for w in wanted if w.resource_type == TARGET_GROUP]
    group_paths = {
        groups_by_name[w.physical_id]["TargetGroupArn"]: w.path
        for w in group_wants
        if w.physical_id in groups_by_name
    }
    for want in wanted:
        if want.resource_type == LOAD_BALANCER:
            _load_balancer(ctx, elb, want, [w for w in wanted if w.resource_type == LISTENER], group_paths)
    group_tags = _tags(elb, sorted(group_paths))
    ctx.each_desired(
        group_wants, lambda want: _target_group(elb, want, groups_by_name.get(want.physical_id), group_tags)
    )


def _load_balancer(
    ctx: Context,
    elb: Any,
    want: ResourceState,
    listener_wants: list[ResourceState],
    group_paths: dict[str, str],
) -> None:
    try:
        found = elb.describe_load_balancers(Names=[want.physical_id]).get("LoadBalancers", [])
    except Exception as exc:
        if is_not_found(exc, "LoadBalancerNotFound"):
            return  # the load balancer and its listeners are missing
        for w in (want, *listener_wants):
            ctx.fail(w, exc)
        return
    if not found:
        return
    lb = found[0]
    arn = lb["LoadBalancerArn"]
    listeners = paginate(elb, "describe_listeners", "Listeners", LoadBalancerArn=arn)
    tags = _tags(elb, [arn, *(li["ListenerArn"] for li in listeners)])
    attributes = _attributes(elb.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes", []))

    # The spec's listener: by `archkit:id` tag, else by port; any other listener is recorded on the load
    # balancer (`extra_listeners`), so an added plain-HTTP listener is seen.
    matched: dict[str, dict[str, Any]] = {}
    for w in listener_wants:
        by_tag = [li for li in listeners if tags.get(li["ListenerArn"], {}).get("archkit:id") == w.path]
        by_port = [li for li in listeners if li.get("Port") == getattr(w, "port", None)]
        choice = (by_tag or by_port or [None])[0]
        if choice is not None and choice["ListenerArn"] not in {m["ListenerArn"] for m in matched.values()}:
            matched[w.path] = choice
    taken = {m["ListenerArn"] for m in matched.values()}
    extra = [
        f"{li.get('Protocol', '')}:{li.get('Port', '')}" for li in listeners if li["ListenerArn"] not in taken
    ]

    bucket_paths = ctx.path_by_name("AWS::S3::Bucket")
    bucket = attributes.get("access_logs.s3.bucket") or None
    dns = str(lb.get("DNSName", "")).lower()
    ctx.add(
        LoadBalancerState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=lb["LoadBalancerName"],
            arn=arn,
            ids=[arn, dns, f"dualstack.{dns}"] if dns else [arn],
            tags=tags.get(arn, {}),
            scheme=lb.get("Scheme", "internet-facing"),
            subnets=[z["SubnetId"] for z in lb.get("AvailabilityZones", []) if z.get("SubnetId")],
            security_groups=lb.get("SecurityGroups", []),
            deletion_protection=_flag(attributes, "deletion_protection.enabled"),
            drop_invalid_headers=_flag(attributes, "routing.http.drop_invalid_header_fields.enabled"),
            http2=attributes.get("routing.http2.enabled", "true").lower() == "true",
            idle_timeout_seconds=int(attributes.get("idle_timeout.timeout_seconds") or 60),
            access_logs=_flag(attributes, "access_logs.s3.enabled"),
            access_logs_bucket=bucket_paths.get(bucket, bucket) if bucket else None,
            access_logs_prefix=(attributes.get("access_logs.s3.prefix") or None) if bucket else None,
            extra_listeners=extra,
        )
    )

    def read(w: ResourceState) -> ResourceState | None:
        li = matched.get(w.path)
        if li is None:
            return None
        spec_certificate = getattr(w, "certificate", None)
        return _listener(ctx, elb, w, li, tags, group_paths, spec_certificate)

    ctx.each_desired(listener_wants, read)


def _listener(
    ctx: Context,
    elb: Any,
    want: ResourceState,
    li: dict[str, Any],
    tags: dict[str, dict[str, str]],
    group_paths: dict[str, str],
    spec_certificate: str | None,
) -> ResourceState:
    arn = li["ListenerArn"]
    u = Unreadable()
    rules = paginate(elb, "describe_rules", "Rules", ListenerArn=arn)
    certs = [c["CertificateArn"] for c in li.get("Certificates", []) if c.get("CertificateArn")]
    certificate = certs[0] if certs else None
    if certificate is not None and certificate != spec_certificate and ":acm:" in certificate:
        acm = ctx.aws.client("acm")
        described = u.read(
            "certificate",
            lambda: acm.describe_certificate(CertificateArn=certificate)["Certificate"],
            "ResourceNotFoundException",
        )
        if described and described.get("DomainName"):
            certificate = str(described["DomainName"]).lower()
    defaults = li.get("DefaultActions") or []
    return ListenerState(
        path=want.path,
        resource_type=want.resource_type,
        physical_id=arn,
        arn=arn,
        ids=[arn],
        unreadable=u.reasons,
        tags=tags.get(arn, {}),
        load_balancer=li.get("LoadBalancerArn", ""),
        port=int(li.get("Port", 0)),
        protocol=li.get("Protocol", ""),
        certificate=certificate,
        ssl_policy=li.get("SslPolicy") or None,
        default_action=action_key(defaults[0], group_paths) if defaults else "",
        rules=_rules(rules, group_paths),
    )


def _target_group(
    elb: Any, want: ResourceState, group: dict[str, Any] | None, tags: dict[str, dict[str, str]]
) -> ResourceState | None:
    if group is None:
        return None
    arn = group["TargetGroupArn"]
    attributes = _attributes(elb.describe_target_group_attributes(TargetGroupArn=arn).get("Attributes", []))
    health = elb.describe_target_health(TargetGroupArn=arn).get("TargetHealthDescriptions", [])
    return TargetGroupState(
        path=want.path,
        resource_type=want.resource_type,
        physical_id=group["TargetGroupName"],
        arn=arn,
        ids=[arn],
        tags=tags.get(arn, {}),
        target_type=group.get("TargetType", "instance"),
        targets=[h["Target"]["Id"] for h in health if h.get("Target", {}).get("Id")],
        health_check=bool(group.get("HealthCheckEnabled", True)),
        multi_value_headers=_flag(attributes, "lambda.multi_value_headers.enabled"),
    )


STATES: dict[str, type[ResourceState]] = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": LoadBalancerState,
    "AWS::ElasticLoadBalancingV2::Listener": ListenerState,
    "AWS::ElasticLoadBalancingV2::TargetGroup": TargetGroupState,
}

KIND = Kind(
    states=STATES,
    desired=_load_balancer_states,
    collect=collect,
    reads={
        "elbv2": (
            "DescribeLoadBalancers",
            "DescribeLoadBalancerAttributes",
            "DescribeListeners",
            "DescribeRules",
            "DescribeTargetGroups",
            "DescribeTargetGroupAttributes",
            "DescribeTargetHealth",
            "DescribeTags",
        ),
        "acm": ("DescribeCertificate",),
    },
    security=frozenset({"deletion_protection"}),
)
