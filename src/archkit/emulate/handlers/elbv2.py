"""Elastic Load Balancing v2: load balancers, target groups, listeners, listener rules."""

from __future__ import annotations

from typing import Any

from archkit.emulate.handlers.common import as_bool
from archkit.emulate.registry import Created, ResourceContext, handler


def _attributes(items: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    return [
        {
            "Key": a["Key"],
            "Value": str(a["Value"]).lower() if isinstance(a["Value"], bool) else str(a["Value"]),
        }
        for a in items or []
    ]


@handler("AWS::ElasticLoadBalancingV2::LoadBalancer")
def load_balancer(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    elb = ctx.client("elbv2")
    kwargs: dict[str, Any] = {"Name": p.get("Name") or ctx.physical_name(32)}
    for prop in ("Subnets", "SecurityGroups", "Scheme", "Type", "IpAddressType"):
        if prop in p:
            kwargs[prop] = p[prop]
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    lb = elb.create_load_balancer(**kwargs)["LoadBalancers"][0]
    if p.get("LoadBalancerAttributes"):
        elb.modify_load_balancer_attributes(
            LoadBalancerArn=lb["LoadBalancerArn"], Attributes=_attributes(p["LoadBalancerAttributes"])
        )
    return Created(
        lb["LoadBalancerArn"],
        {
            "DNSName": lb["DNSName"],
            "CanonicalHostedZoneID": lb["CanonicalHostedZoneId"],
            "LoadBalancerName": lb["LoadBalancerName"],
            "LoadBalancerFullName": lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1],
            "LoadBalancerArn": lb["LoadBalancerArn"],
        },
    )


@handler("AWS::ElasticLoadBalancingV2::TargetGroup")
def target_group(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    elb = ctx.client("elbv2")
    kwargs: dict[str, Any] = {"Name": p.get("Name") or ctx.physical_name(32)}
    for prop in ("TargetType", "Protocol", "Port", "VpcId", "HealthCheckEnabled", "HealthCheckPath"):
        if prop in p:
            kwargs[prop] = as_bool(p[prop]) if prop == "HealthCheckEnabled" else p[prop]
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    group = elb.create_target_group(**kwargs)["TargetGroups"][0]
    arn = group["TargetGroupArn"]
    if p.get("TargetGroupAttributes"):
        elb.modify_target_group_attributes(
            TargetGroupArn=arn, Attributes=_attributes(p["TargetGroupAttributes"])
        )
    if p.get("Targets"):
        elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": t["Id"]} for t in p["Targets"]])
    return Created(arn, {"TargetGroupArn": arn, "TargetGroupName": group["TargetGroupName"]})


@handler("AWS::ElasticLoadBalancingV2::Listener")
def listener(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {k: p[k] for k in ("LoadBalancerArn", "Port", "Protocol", "SslPolicy") if k in p}
    kwargs["Port"] = int(kwargs["Port"])
    kwargs["DefaultActions"] = p["DefaultActions"]
    if p.get("Certificates"):
        kwargs["Certificates"] = [{"CertificateArn": c["CertificateArn"]} for c in p["Certificates"]]
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    arn = ctx.client("elbv2").create_listener(**kwargs)["Listeners"][0]["ListenerArn"]
    return Created(arn, {"ListenerArn": arn})


@handler("AWS::ElasticLoadBalancingV2::ListenerRule")
def listener_rule(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    rule = ctx.client("elbv2").create_rule(
        ListenerArn=p["ListenerArn"],
        Priority=int(p["Priority"]),
        Conditions=p["Conditions"],
        Actions=p["Actions"],
    )["Rules"][0]
    return Created(rule["RuleArn"], {"RuleArn": rule["RuleArn"]})
