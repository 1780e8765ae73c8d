"""WAF pieces shared by CloudFront's web ACL (``edge.waf``) and the API stage's regional one: the web ACL with
its rules (written once in :mod:`archkit.spec.waf`) and IP sets, request logging to an encrypted
``aws-waf-logs-*`` log group, and the visibility configuration."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from archkit.cdk.context import BuildContext, retention
from archkit.spec.conventions import waf_logging, waf_logs_key_description, waf_logs_key_path
from archkit.spec.naming import waf_log_group_name, waf_logs_key_alias
from archkit.spec.waf import IpSetRef, SecretRef, WebAcl, ip_set_refs, resolve_refs


def build_web_acl(
    scope: Construct, ctx: BuildContext, acl: WebAcl, *, construct_id: str, description: str
) -> wafv2.CfnWebACL:
    """The web ACL ``acl`` (default action allow) and the IP sets its rules reference, owned by its path."""
    ip_sets: dict[IpSetRef, wafv2.CfnIPSet] = {}
    for ref in ip_set_refs(acl):
        ip_sets[ref] = wafv2.CfnIPSet(
            scope,
            ref.construct_id,
            name=ctx.name(ref.key),
            scope=acl.scope,
            ip_address_version="IPV4",
            addresses=list(ref.addresses),
            description=ref.description,
        )
        ctx.own(acl.path, ip_sets[ref])
    rules = [
        _sorted(
            {
                "Name": rule.name,
                "Priority": priority,
                **resolve_refs(
                    rule.body, lambda ref: ip_sets[ref].attr_arn, lambda ref: secret_value(ctx, ref)
                ),
                "VisibilityConfig": _visibility_json(rule.name),
            }
        )
        for priority, rule in enumerate(acl.rules)
    ]
    web_acl = wafv2.CfnWebACL(
        scope,
        construct_id,
        name=ctx.name(acl.key),
        description=description,
        scope=acl.scope,
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=visibility(ctx.name(acl.key)),
        rules=[],
    )
    # The rules are plain WAF JSON from the spec layer (the same verify expects), written as they are.
    web_acl.add_property_override("Rules", rules)
    ctx.own(acl.path, web_acl)
    return web_acl


def secret_value(ctx: BuildContext, ref: SecretRef) -> str:
    """A secret's value as a CloudFormation dynamic reference (resolved at deploy, never in a template)."""
    return cdk.SecretValue.secrets_manager(ctx.name(ref.secret, "secrets")).unsafe_unwrap()


def _visibility_json(metric: str) -> dict[str, Any]:
    return {"CloudWatchMetricsEnabled": True, "MetricName": metric, "SampledRequestsEnabled": True}


def _sorted(node: Any) -> Any:
    """Keys in CloudFormation's rendering order (alphabetical, as CDK writes typed properties)."""
    if isinstance(node, dict):
        return {k: _sorted(node[k]) for k in sorted(node)}
    if isinstance(node, list):
        return [_sorted(v) for v in node]
    return node


def visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def log_web_acl(
    scope: Construct, ctx: BuildContext, acl: wafv2.CfnWebACL, *, acl_key: str, spec_path: str
) -> None:
    """Log the web ACL's requests (``edge.waf.logging``) to a log group of its own, encrypted with its own
    key: WAF logs hold client addresses and headers, and the spec's keys may live in another region."""
    logging = waf_logging(ctx.spec, acl_key)
    stack = cdk.Stack.of(scope)
    name = waf_log_group_name(ctx.spec, acl_key)
    # WAF and the key policy want the log group's ARN without CloudWatch's trailing ":*".
    group_arn = stack.format_arn(
        service="logs", resource="log-group", resource_name=name, arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME
    )
    key = kms.Key(
        scope,
        f"{acl_key}-LogsKey",
        alias=waf_logs_key_alias(ctx.spec, acl_key),
        description=waf_logs_key_description(ctx.spec, acl_key),
        enable_key_rotation=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchLogsEncryptsTheWafLogGroup",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=[
                "kms:Decrypt*",
                "kms:Describe*",
                "kms:Encrypt*",
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*",
            ],
            resources=["*"],
            conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group_arn}},
        )
    )
    group = logs.LogGroup(
        scope,
        f"{acl_key}-Logs",
        log_group_name=name,
        encryption_key=key,
        retention=retention(logging.retention_days),  # type: ignore[arg-type]
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    config = wafv2.CfnLoggingConfiguration(
        scope,
        f"{acl_key}-Logging",
        resource_arn=acl.attr_arn,
        log_destination_configs=[group_arn],
        redacted_fields=[
            wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header})
            for header in logging.redacted_headers
        ]
        or None,
    )
    config.node.add_dependency(group)
    # The key is a declared resource of its own (the inventory lists it); group and configuration are parts
    # of the web ACL's logging.
    ctx.own(waf_logs_key_path(acl_key), key)
    for part in (group, config):
        ctx.own(spec_path, part)
