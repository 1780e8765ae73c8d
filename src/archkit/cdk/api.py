"""API domain: the REST API with the spec's whole route tree, validation, models, mapped integrations,
authorizers, API keys and usage plans, CORS, throttling, logging, tracing and resource policy."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from archkit.cdk.context import BuildContext, retention
from archkit.cdk.load_balancer import LoadBalancerConstruct
from archkit.cdk.nag import acknowledge
from archkit.cdk.waf import build_web_acl, log_web_acl, secret_value
from archkit.spec.api import MethodSpec, MockSpec
from archkit.spec.conventions import API_DOMAIN_KEY, API_DOMAIN_PATH, API_WEB_ACL, logged_web_acls
from archkit.spec.naming import api_model_name
from archkit.spec.waf import SecretRef, web_acls

_LOG_LEVELS = {
    "OFF": apigw.MethodLoggingLevel.OFF,
    "ERROR": apigw.MethodLoggingLevel.ERROR,
    "INFO": apigw.MethodLoggingLevel.INFO,
}
_VALIDATORS = {"params": (False, True), "body": (True, False), "all": (True, True)}
JSON = "application/json"


def _answer_status(method: MethodSpec) -> str:
    """The status code the method declares (mapped methods answer 200, mock ones what the spec says)."""
    return str(method.mock.status) if method.mock is not None else "200"


_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\+?\}")


model_name = api_model_name
"""API Gateway model names are alphanumeric: ``refresh_token`` → ``RefreshToken`` (shared with verify)."""


APIGW_LOGS_POLICY = "AmazonAPIGatewayPushToCloudWatchLogs"
"""The AWS-managed policy of the account-level role CDK creates for API Gateway execution logs."""


class ApiConstruct(Construct):
    """The REST API of ``spec.api`` bound to the given functions. Exposes ``api`` and ``url``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: BuildContext,
        functions: Mapping[str, lambda_.IFunction],
        vpc_link_subnets: list[ec2.ISubnet] | None = None,
        vpc_link_security_groups: list[ec2.ISecurityGroup] | None = None,
        load_balancer: LoadBalancerConstruct | None = None,
        zone: route53.IHostedZone | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.ctx = ctx
        spec = ctx.spec.api
        ctx.own("api", self)
        access_logs = None
        if spec.logging.access_logs:
            group = logs.LogGroup(
                self,
                "AccessLogs",
                log_group_name=f"/aws/apigateway/{ctx.name('api')}/{spec.stage}/access",
                retention=retention(spec.logging.retention_days),  # type: ignore[arg-type]
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            access_logs = apigw.LogGroupLogDestination(group)
        cors = spec.cors
        # Execution logging needs the account-level CloudWatch role of API Gateway.
        execution_logs = spec.logging.execution_level != "OFF"
        self.api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=ctx.name("api"),
            description=spec.description or None,
            endpoint_configuration=apigw.EndpointConfiguration(
                types=[apigw.EndpointType(spec.endpoint_type)]
            ),
            deploy=True,
            retain_deployments=False,
            deploy_options=apigw.StageOptions(
                stage_name=spec.stage,
                description=f"{ctx.name('api')} stage {spec.stage}",
                throttling_rate_limit=spec.throttling.rate,
                throttling_burst_limit=spec.throttling.burst,
                logging_level=_LOG_LEVELS[spec.logging.execution_level],
                data_trace_enabled=spec.logging.data_trace,
                metrics_enabled=spec.logging.metrics,
                tracing_enabled=spec.tracing,
                access_log_destination=access_logs,
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=True,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                )
                if access_logs
                else None,
            ),
            cloud_watch_role=execution_logs,
            cloud_watch_role_removal_policy=cdk.RemovalPolicy.RETAIN if execution_logs else None,
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(cors.allow_origins),
                allow_methods=list(cors.allow_methods),
                allow_headers=list(cors.allow_headers),
                max_age=cdk.Duration.seconds(cors.max_age_seconds),
                allow_credentials=cors.allow_credentials,
            )
            if cors.enabled and cors.allow_origins
            else None,
            min_compression_size=cdk.Size.bytes(spec.minimum_compression_size)
            if spec.minimum_compression_size is not None
            else None,
            api_key_source_type=apigw.ApiKeySourceType.HEADER,
            disable_execute_api_endpoint=spec.disable_execute_api_endpoint,
            policy=self._resource_policy(),
        )
        self.url = self.api.url
        if execution_logs:
            acknowledge(
                self.api.node.find_child("CloudWatchRole"),
                "AwsSolutions-IAM4",
                "the account-level API Gateway logging role uses the AWS-maintained policy API Gateway "
                "documents for pushing execution logs; it grants log delivery only",
                [f"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{APIGW_LOGS_POLICY}"],
            )
        self._validators: dict[str, apigw.RequestValidator] = {}
        self._models = {
            key: apigw.CfnModel(
                self,
                f"Model-{key}",
                rest_api_id=self.api.rest_api_id,
                name=model_name(key),
                content_type=JSON,
                description=f"Request body of model {key}",
                schema={
                    "$schema": "http://json-schema.org/draft-04/schema#",
                    "title": model_name(key),
                    **schema,
                },
            )
            for key, schema in spec.models.items()
        }
        self._authorizers = self._build_authorizers(functions)
        self.vpc_link: apigwv2.CfnVpcLink | None = None
        self._load_balancer = load_balancer
        if spec.vpc_link.enabled:
            # A VPC link (v2): REST APIs reach an ALB through it, the target named on each integration.
            self.vpc_link = apigwv2.CfnVpcLink(
                self,
                "VpcLink",
                name=ctx.name("vpc-link"),
                subnet_ids=[s.subnet_id for s in vpc_link_subnets or []],
                security_group_ids=[g.security_group_id for g in vpc_link_security_groups or []],
            )
            ctx.own("api.vpc_link", self.vpc_link)
        for path, verb, method in spec.methods():
            self._method(path, verb, method, functions)
        self._usage_plans()
        self.web_acl: wafv2.CfnWebACL | None = self._stage_web_acl() if spec.stage_web_acl() else None
        self.domain: apigw.DomainName | None = self._domain(zone) if spec.domain is not None else None

    def _domain(self, zone: route53.IHostedZone | None) -> apigw.DomainName:
        """The regional custom domain with its certificate (issued and DNS-validated in the hosted zone unless
        the spec names one) and a base path mapping per base path to the stage."""
        ctx, spec = self.ctx, self.ctx.spec.api
        domain = spec.domain
        assert domain is not None
        if domain.certificate_arn is not None:
            certificate = acm.Certificate.from_certificate_arn(
                self, "DomainCertificate", domain.certificate_arn
            )
        else:
            assert zone is not None, "validation requires edge.dns for an issued certificate"
            issued = acm.Certificate(
                self,
                "DomainCertificate",
                domain_name=domain.domain_name,
                validation=acm.CertificateValidation.from_dns(zone),
                certificate_name=ctx.name(API_DOMAIN_KEY),
                key_algorithm=acm.KeyAlgorithm.RSA_2048,
                transparency_logging_enabled=True,
            )
            ctx.own(API_DOMAIN_PATH, issued)
            certificate = issued
        made = apigw.DomainName(
            self,
            "Domain",
            domain_name=domain.domain_name,
            certificate=certificate,
            endpoint_type=apigw.EndpointType.REGIONAL,
            security_policy=apigw.SecurityPolicy(domain.security_policy),
        )
        ctx.own(API_DOMAIN_PATH, made)
        for i, base_path in enumerate(domain.base_paths):
            mapping = apigw.BasePathMapping(
                self,
                f"BasePath-{i}",
                domain_name=made,
                rest_api=self.api,
                stage=self.api.deployment_stage,
                base_path=base_path or None,
            )
            ctx.own(API_DOMAIN_PATH, mapping)
        return made

    def _resource_policy(self) -> iam.PolicyDocument | None:
        allowed = self.ctx.spec.api.ip_allow_list
        if not allowed:
            return None
        anyone: list[iam.IPrincipal] = [iam.AnyPrincipal()]
        return iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    sid="AllowInvoke",
                    principals=anyone,
                    actions=["execute-api:Invoke"],
                    resources=["execute-api:/*"],
                ),
                iam.PolicyStatement(
                    sid="DenyOutsideAllowList",
                    effect=iam.Effect.DENY,
                    principals=anyone,
                    actions=["execute-api:Invoke"],
                    resources=["execute-api:/*"],
                    conditions={"NotIpAddress": {"aws:SourceIp": list(allowed)}},
                ),
            ]
        )

    def _build_authorizers(self, functions: Mapping[str, lambda_.IFunction]) -> dict[str, apigw.IAuthorizer]:
        spec = self.ctx.spec.api
        used = {spec.authorizer_of(m) for _, _, m in spec.methods()}
        out: dict[str, apigw.IAuthorizer] = {}
        for key, auth in spec.authorizers.items():
            if key not in used:
                continue  # CDK only creates authorizers attached to a method
            common: dict[str, Any] = {
                "handler": functions[auth.function],
                "authorizer_name": self.ctx.name(key),
                "results_cache_ttl": cdk.Duration.seconds(auth.result_ttl_seconds),
            }
            if auth.type == "token":
                authorizer: apigw.IAuthorizer = apigw.TokenAuthorizer(
                    self, f"Authorizer-{key}", identity_source=auth.identity_source, **common
                )
            else:
                authorizer = apigw.RequestAuthorizer(
                    self, f"Authorizer-{key}", identity_sources=[auth.identity_source], **common
                )
            self.ctx.own(f"api.authorizers.{key}", authorizer)  # type: ignore[arg-type]
            out[key] = authorizer
        return out

    def _validator(self, kind: str) -> apigw.RequestValidator | None:
        if kind == "none":
            return None
        if kind not in self._validators:
            body, params = _VALIDATORS[kind]
            self._validators[kind] = self.api.add_request_validator(
                f"Validator-{kind}",
                request_validator_name=self.ctx.name(f"validate-{kind}"),
                validate_request_body=body,
                validate_request_parameters=params,
            )
        return self._validators[kind]

    def _method(
        self, path: str, verb: str, method: MethodSpec, functions: Mapping[str, lambda_.IFunction]
    ) -> None:
        spec = self.ctx.spec.api
        resource = self.api.root.resource_for_path(path.strip("/"))
        mapped = method.integration == "mapped"
        via_link = method.integration == "vpc_link"
        path_params = _PATH_PARAM.findall(path) if via_link else []
        integration: apigw.Integration
        if method.mock is not None:
            integration = self._mock_integration(method.mock)
        else:
            assert method.function is not None, "checked by the spec validation"
            integration = apigw.LambdaIntegration(
                functions[method.function],
                proxy=not mapped,
                allow_test_invoke=False,
                request_templates=dict(method.request_templates) or None,
                passthrough_behavior=apigw.PassthroughBehavior.NEVER if mapped else None,
                integration_responses=[
                    apigw.IntegrationResponse(
                        status_code="200", response_templates=dict(method.response_templates) or None
                    )
                ]
                if mapped
                else None,
            )
        if via_link:
            assert self._load_balancer is not None, "checked by the spec validation"
            integration = apigw.Integration(
                type=apigw.IntegrationType.HTTP_PROXY,
                integration_http_method=verb,
                uri=self._load_balancer.endpoint_url + _PATH_PARAM.sub(r"{\1}", path),
                options=apigw.IntegrationOptions(
                    request_parameters={
                        f"integration.request.path.{p}": f"method.request.path.{p}" for p in path_params
                    }
                    or None,
                ),
            )
        authorizer_key = spec.authorizer_of(method)
        models = None
        if method.request_model is not None:
            models = {
                JSON: apigw.Model.from_model_name(
                    self, f"ModelRef-{verb}{path}", model_name(method.request_model)
                )
            }
        created = resource.add_method(
            verb,
            integration,
            authorization_type=apigw.AuthorizationType.CUSTOM
            if authorizer_key
            else apigw.AuthorizationType.NONE,
            authorizer=self._authorizers[authorizer_key] if authorizer_key else None,
            api_key_required=method.api_key_required,
            request_validator=self._validator(method.effective_validation()),
            request_models=models,
            request_parameters={
                **method.request_parameters,
                **{f"method.request.path.{p}": True for p in path_params},
            }
            or None,
            method_responses=[apigw.MethodResponse(status_code=_answer_status(method))]
            if mapped or method.mock is not None
            else None,
        )
        if authorizer_key:
            acknowledge(
                created,
                "AwsSolutions-COG4",
                f"{verb} {path} is authorized by the Lambda authorizer api.authorizers.{authorizer_key} "
                "(archkit's authorizers are Lambda authorizers, not Cognito user pools)",
            )
        if via_link:
            self._through_vpc_link(created)
        if method.request_model is not None:
            created.node.add_dependency(self._models[method.request_model])

    @staticmethod
    def _mock_integration(mock: MockSpec) -> apigw.MockIntegration:
        """API Gateway answers itself: the request template picks the one (default) integration response,
        which returns the spec's status and body."""
        return apigw.MockIntegration(
            request_templates={JSON: json.dumps({"statusCode": 200})},
            passthrough_behavior=apigw.PassthroughBehavior.NEVER,
            integration_responses=[
                apigw.IntegrationResponse(
                    status_code=str(mock.status), response_templates={mock.content_type: mock.body_text()}
                )
            ],
        )

    def _through_vpc_link(self, method: apigw.Method) -> None:
        """Send the integration through the VPC link to the load balancer (L1: the L2 ``Integration``
        knows only v1 links to network load balancers)."""
        assert self.vpc_link is not None and self._load_balancer is not None
        cfn = method.node.default_child
        assert isinstance(cfn, apigw.CfnMethod)
        cfn.add_property_override("Integration.ConnectionType", "VPC_LINK")
        cfn.add_property_override("Integration.ConnectionId", self.vpc_link.ref)
        cfn.add_property_override("Integration.IntegrationTarget", self._load_balancer.alb.load_balancer_arn)

    def _stage_web_acl(self) -> wafv2.CfnWebACL:
        """A regional web ACL on the stage: requests without CloudFront's origin-verify header are blocked
        (the execute-api endpoint is then reachable only through CloudFront and its web ACL), and so are
        requests to a method with an IP allow list from any other client address; then `api.waf`'s rules."""
        ctx, spec = self.ctx, self.ctx.spec.api
        stack = cdk.Stack.of(self)
        acl_spec = next(a for a in web_acls(ctx.spec) if a.key == API_WEB_ACL)
        acl = build_web_acl(
            self,
            ctx,
            acl_spec,
            construct_id="StageWebAcl",
            description=f"Stage {spec.stage} of {ctx.name('api')}: "
            + (
                "origin verification and IP allow lists"
                if acl_spec.waf is None
                else "web application firewall"
            ),
        )
        association = wafv2.CfnWebACLAssociation(
            self,
            "StageWebAclAssociation",
            resource_arn=f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/"
            f"{self.api.rest_api_id}/stages/{self.api.deployment_stage.stage_name}",
            web_acl_arn=acl.attr_arn,
        )
        association.node.add_dependency(self.api.deployment_stage)
        ctx.own(acl_spec.path, association)
        if API_WEB_ACL in logged_web_acls(ctx.spec):
            log_web_acl(self, ctx, acl, acl_key=API_WEB_ACL, spec_path=acl_spec.path)
        return acl

    def _usage_plans(self) -> None:
        ctx, spec = self.ctx, self.ctx.spec.api
        keys = {}
        for key in spec.api_keys:
            keys[key] = apigw.ApiKey(
                self, f"ApiKey-{key}", api_key_name=ctx.name(key), enabled=True, description=f"API key {key}"
            )
            ctx.own(f"api.api_keys.{key}", keys[key])
        for key, plan_spec in spec.usage_plans.items():
            plan = self.api.add_usage_plan(
                f"UsagePlan-{key}",
                name=ctx.name(key),
                description=plan_spec.description or None,
                throttle=apigw.ThrottleSettings(
                    rate_limit=plan_spec.throttling.rate, burst_limit=plan_spec.throttling.burst
                )
                if plan_spec.throttling
                else None,
                quota=apigw.QuotaSettings(
                    limit=plan_spec.quota.limit, period=apigw.Period(plan_spec.quota.period)
                )
                if plan_spec.quota
                else None,
            )
            plan.add_api_stage(stage=self.api.deployment_stage)
            for api_key in plan_spec.api_keys:
                plan.add_api_key(keys[api_key])
            ctx.own(f"api.usage_plans.{key}", plan)


def origin_verify_value(ctx: BuildContext) -> str:
    """The origin-verify secret's value as a CloudFormation dynamic reference (resolved at deploy time, never
    written into a template), for CloudFront's origin header and the stage web ACL's rule alike."""
    verify = ctx.spec.api.origin_verify
    assert verify is not None
    return secret_value(ctx, SecretRef(verify.secret))
