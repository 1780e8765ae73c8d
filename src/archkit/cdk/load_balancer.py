"""The optional Application Load Balancer: its listener (HTTPS with a DNS-validated regional certificate,
or HTTP when internal), one Lambda target group per target function with path-pattern rules, access logs,
and the alias record of its name in the hosted zone."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
import jsii
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from aws_cdk import aws_s3 as s3
from constructs import Construct, IDependable

from archkit.cdk.context import BuildContext
from archkit.spec.conventions import ALB_ACCESS_LOG_PREFIX, ALB_DEFAULT_STATUS, ELB_PRINCIPAL
from archkit.spec.naming import alb_host_name, target_group_name


@jsii.implements(elbv2.IApplicationLoadBalancerTarget)
class _LambdaTarget:
    """A Lambda target whose invoke permission already exists (scoped to the target group by name).

    CDK's ``LambdaTarget`` grants ``elasticloadbalancing.amazonaws.com`` without a source ARN: the target
    group must not exist before the permission, so the permission cannot name its ARN. A source ARN pattern
    built from the target group's *name* has no such cycle and keeps other accounts' target groups out.
    """

    def __init__(self, function: lambda_.IFunction, permission: IDependable) -> None:
        self.function = function
        self.permission = permission

    def attach_to_application_target_group(
        self, target_group: elbv2.IApplicationTargetGroup
    ) -> elbv2.LoadBalancerTargetProps:
        target_group.node.add_dependency(self.permission)
        return elbv2.LoadBalancerTargetProps(
            target_type=elbv2.TargetType.LAMBDA, target_json={"id": self.function.function_arn}
        )


class LoadBalancerConstruct(Construct):
    """``network.alb`` of the spec. Exposes ``alb``, ``listener`` and ``endpoint_url`` (scheme and host the
    API's VPC-link integrations address: ``https://alb.<domain>`` or ``http://<load balancer DNS name>``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        vpc: ec2.IVpc,
        subnets: ec2.SubnetSelection,
        security_group: ec2.ISecurityGroup,
        functions: Mapping[str, lambda_.IFunction],
        logs_bucket: s3.IBucket | None,
        zone: route53.IHostedZone | None,
    ) -> None:
        super().__init__(scope, construct_id)
        spec = ctx.spec
        alb_spec, listener_spec = spec.network.alb, spec.network.alb.listener
        self.alb = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            load_balancer_name=ctx.name("alb"),
            vpc=vpc,
            internet_facing=alb_spec.internet_facing,
            vpc_subnets=subnets,
            security_group=security_group,
            deletion_protection=alb_spec.deletion_protection,
            drop_invalid_header_fields=True,
            http2_enabled=True,
            idle_timeout=cdk.Duration.seconds(alb_spec.idle_timeout_seconds),
            ip_address_type=elbv2.IpAddressType.IPV4,
        )
        if alb_spec.access_logs and logs_bucket is not None:
            self.alb.log_access_logs(logs_bucket, prefix=ALB_ACCESS_LOG_PREFIX)
        ctx.own("network.alb", self.alb)

        https = listener_spec.protocol == "HTTPS"
        certificates: list[elbv2.IListenerCertificate] | None = None
        if https:
            certificate: acm.ICertificate
            if listener_spec.certificate_arn is not None:
                certificate = acm.Certificate.from_certificate_arn(
                    self, "Certificate", listener_spec.certificate_arn
                )
            else:
                assert zone is not None, "checked by the spec validation: HTTPS needs edge.dns or an ARN"
                certificate = acm.Certificate(
                    self,
                    "Certificate",
                    domain_name=alb_host_name(spec),
                    validation=acm.CertificateValidation.from_dns(zone),
                    certificate_name=ctx.name("alb"),
                    key_algorithm=acm.KeyAlgorithm.RSA_2048,
                    transparency_logging_enabled=True,
                )
                ctx.own("network.alb.listener", certificate)
            certificates = [elbv2.ListenerCertificate.from_certificate_manager(certificate)]
        self.listener = self.alb.add_listener(
            "Listener",
            port=listener_spec.port,
            protocol=elbv2.ApplicationProtocol.HTTPS if https else elbv2.ApplicationProtocol.HTTP,
            certificates=certificates,
            # The spec's security group rules decide who may connect; CDK must not open the port itself.
            open=False,
            default_action=elbv2.ListenerAction.fixed_response(
                ALB_DEFAULT_STATUS, content_type="text/plain", message_body="Not Found"
            ),
        )
        cfn_listener = self.listener.node.default_child
        assert isinstance(cfn_listener, elbv2.CfnListener)
        if https:
            cfn_listener.add_property_override("SslPolicy", listener_spec.ssl_policy)
        ctx.own("network.alb.listener", self.listener)
        _untagged(cfn_listener)

        self.target_groups: dict[str, elbv2.ApplicationTargetGroup] = {}
        for priority, key in enumerate(alb_spec.targets, start=1):
            self._target(ctx, key, priority, functions[key])

        if https and zone is not None:
            record = route53.ARecord(
                self,
                "Record",
                zone=zone,
                record_name=f"{alb_host_name(spec)}.",
                target=route53.RecordTarget.from_alias(route53_targets.LoadBalancerTarget(self.alb)),
                comment=f"A alias to {ctx.name('alb')}",
            )
            ctx.own("network.alb", record)
        self.endpoint_url = (
            f"https://{alb_host_name(spec)}" if https else f"http://{self.alb.load_balancer_dns_name}"
        )
        if listener_spec.port != (443 if https else 80):
            self.endpoint_url += f":{listener_spec.port}"

    def _target(self, ctx: BuildContext, key: str, priority: int, function: lambda_.IFunction) -> None:
        target = ctx.spec.network.alb.targets[key]
        name = target_group_name(ctx.spec, key)
        stack = cdk.Stack.of(self)
        permission = lambda_.CfnPermission(
            self,
            f"Invoke-{key}",
            action="lambda:InvokeFunction",
            function_name=function.function_arn,
            principal=ELB_PRINCIPAL,
            source_account=stack.account,
            source_arn=stack.format_arn(
                service="elasticloadbalancing",
                resource="targetgroup",
                resource_name=f"{name}/*",
                arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
            ),
        )
        group = elbv2.ApplicationTargetGroup(
            self,
            f"Target-{key}",
            target_group_name=name,
            target_type=elbv2.TargetType.LAMBDA,
            targets=[_LambdaTarget(function, permission)],
            health_check=elbv2.HealthCheck(enabled=target.health_check),
        )
        group.set_attribute("lambda.multi_value_headers.enabled", str(target.multi_value_headers).lower())
        ctx.own(f"network.alb.targets.{key}", group)
        rule = elbv2.ApplicationListenerRule(
            self,
            f"Rule-{key}",
            listener=self.listener,
            priority=priority,
            conditions=[elbv2.ListenerCondition.path_patterns(list(target.paths))],
            action=elbv2.ListenerAction.forward([group]),
        )
        ctx.own(f"network.alb.targets.{key}", rule)
        _untagged(rule.node.default_child)
        self.target_groups[key] = group


def _untagged(resource: object) -> None:
    """Listeners and rules are found through their load balancer, not by tag; and cfn-lint (pinned) does not
    know their recent ``Tags`` property yet, so the tag aspects' output is left out of the template."""
    assert isinstance(resource, cdk.CfnResource)
    resource.add_property_deletion_override("Tags")
