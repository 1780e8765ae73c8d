"""API Gateway: REST API, resources, models, validators, authorizers, methods, stages, API keys, usage
plans, and the (v2) VPC link."""

from __future__ import annotations

import re
from typing import Any

from archkit.emulate.handlers.common import as_bool, as_json
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler


@handler("AWS::ApiGateway::RestApi")
def rest_api(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    gw = ctx.client("apigateway")
    kwargs: dict[str, Any] = {"name": p["Name"]}
    if "Description" in p:
        kwargs["description"] = p["Description"]
    if "EndpointConfiguration" in p:
        kwargs["endpointConfiguration"] = {"types": p["EndpointConfiguration"]["Types"]}
    if "MinimumCompressionSize" in p:
        kwargs["minimumCompressionSize"] = int(p["MinimumCompressionSize"])
    if "ApiKeySourceType" in p:
        kwargs["apiKeySource"] = p["ApiKeySourceType"]
    if "DisableExecuteApiEndpoint" in p:
        kwargs["disableExecuteApiEndpoint"] = as_bool(p["DisableExecuteApiEndpoint"])
    if "Policy" in p:
        kwargs["policy"] = as_json(p["Policy"])
    if "BinaryMediaTypes" in p:
        kwargs["binaryMediaTypes"] = p["BinaryMediaTypes"]
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    api = gw.create_rest_api(**kwargs)
    root = next(r["id"] for r in gw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/")
    return Created(api["id"], {"RootResourceId": root, "RestApiId": api["id"]})


@handler("AWS::ApiGateway::Resource")
def api_resource(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    r = ctx.client("apigateway").create_resource(
        restApiId=p["RestApiId"], parentId=p["ParentId"], pathPart=p["PathPart"]
    )
    return Created(r["id"], {"ResourceId": r["id"]})


@handler("AWS::ApiGateway::Model")
def api_model(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    name = p.get("Name") or re.sub(r"[^A-Za-z0-9]", "", ctx.physical_name(64))
    ctx.client("apigateway").create_model(
        restApiId=p["RestApiId"],
        name=name,
        description=p.get("Description", ""),
        schema=as_json(p.get("Schema", {})),
        contentType=p.get("ContentType", "application/json"),
    )
    return Created(name)


@handler("AWS::ApiGateway::RequestValidator")
def request_validator(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    v = ctx.client("apigateway").create_request_validator(
        restApiId=p["RestApiId"],
        name=p.get("Name", ctx.logical_id),
        validateRequestBody=as_bool(p.get("ValidateRequestBody", False)),
        validateRequestParameters=as_bool(p.get("ValidateRequestParameters", False)),
    )
    return Created(v["id"], {"RequestValidatorId": v["id"]})


@handler("AWS::ApiGateway::Authorizer")
def authorizer(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {"restApiId": p["RestApiId"], "name": p["Name"], "type": p["Type"]}
    for prop, arg in (
        ("AuthorizerUri", "authorizerUri"),
        ("IdentitySource", "identitySource"),
        ("IdentityValidationExpression", "identityValidationExpression"),
        ("AuthorizerCredentials", "authorizerCredentials"),
        ("ProviderARNs", "providerARNs"),
    ):
        if prop in p:
            kwargs[arg] = p[prop]
    if "AuthorizerResultTtlInSeconds" in p:
        kwargs["authorizerResultTtlInSeconds"] = int(p["AuthorizerResultTtlInSeconds"])
    a = ctx.client("apigateway").create_authorizer(**kwargs)
    return Created(a["id"], {"AuthorizerId": a["id"]})


@handler("AWS::ApiGateway::Method")
def api_method(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    gw = ctx.client("apigateway")
    where = {"restApiId": p["RestApiId"], "resourceId": p["ResourceId"], "httpMethod": p["HttpMethod"]}
    kwargs: dict[str, Any] = {**where, "authorizationType": p.get("AuthorizationType", "NONE")}
    for prop, arg in (
        ("AuthorizerId", "authorizerId"),
        ("RequestParameters", "requestParameters"),
        ("RequestModels", "requestModels"),
        ("RequestValidatorId", "requestValidatorId"),
        ("OperationName", "operationName"),
        ("AuthorizationScopes", "authorizationScopes"),
    ):
        if prop in p:
            kwargs[arg] = p[prop]
    if "ApiKeyRequired" in p:
        kwargs["apiKeyRequired"] = as_bool(p["ApiKeyRequired"])
    if "RequestParameters" in kwargs:
        kwargs["requestParameters"] = {k: as_bool(v) for k, v in kwargs["requestParameters"].items()}
    gw.put_method(**kwargs)
    integ = p.get("Integration")
    if integ:
        ikw: dict[str, Any] = {**where, "type": integ["Type"]}
        for prop, arg in (
            ("IntegrationHttpMethod", "integrationHttpMethod"),
            ("Uri", "uri"),
            ("RequestTemplates", "requestTemplates"),
            ("RequestParameters", "requestParameters"),
            ("PassthroughBehavior", "passthroughBehavior"),
            ("ContentHandling", "contentHandling"),
            ("Credentials", "credentials"),
            ("ConnectionType", "connectionType"),
            ("ConnectionId", "connectionId"),
            ("IntegrationTarget", "integrationTarget"),
            ("CacheKeyParameters", "cacheKeyParameters"),
        ):
            if prop in integ:
                ikw[arg] = integ[prop]
        if "TimeoutInMillis" in integ:
            ikw["timeoutInMillis"] = int(integ["TimeoutInMillis"])
        gw.put_integration(**ikw)
    for resp in p.get("MethodResponses", []):
        rkw: dict[str, Any] = {**where, "statusCode": str(resp["StatusCode"])}
        if "ResponseParameters" in resp:
            rkw["responseParameters"] = {k: as_bool(v) for k, v in resp["ResponseParameters"].items()}
        if "ResponseModels" in resp:
            rkw["responseModels"] = resp["ResponseModels"]
        gw.put_method_response(**rkw)
    for resp in (integ or {}).get("IntegrationResponses", []):
        rkw = {**where, "statusCode": str(resp["StatusCode"])}
        for prop, arg in (
            ("SelectionPattern", "selectionPattern"),
            ("ResponseParameters", "responseParameters"),
            ("ResponseTemplates", "responseTemplates"),
            ("ContentHandling", "contentHandling"),
        ):
            if prop in resp:
                rkw[arg] = resp[prop]
        gw.put_integration_response(**rkw)
    return Created(f"{p['ResourceId']}|{p['HttpMethod']}")


@handler("AWS::ApiGateway::Deployment")
def api_deployment(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    if "StageName" in p or "StageDescription" in p:
        raise DeployError(
            "deployments that create their own stage are not supported (CDK uses AWS::ApiGateway::Stage)"
        )
    d = ctx.client("apigateway").create_deployment(
        restApiId=p["RestApiId"], description=p.get("Description", "")
    )
    return Created(d["id"], {"DeploymentId": d["id"]})


def _escape_path(resource_path: str) -> str:
    """A method-settings resource path in a patch path: `/*` -> `*`, `/a/b` -> `~1a~1b`."""
    return resource_path[1:].replace("~", "~0").replace("/", "~1") if resource_path != "/*" else "*"


@handler("AWS::ApiGateway::Stage")
def api_stage(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    gw = ctx.client("apigateway")
    api_id, stage = p["RestApiId"], p["StageName"]
    kwargs: dict[str, Any] = {"restApiId": api_id, "stageName": stage, "deploymentId": p["DeploymentId"]}
    for prop, arg in (
        ("Description", "description"),
        ("Variables", "variables"),
        ("CacheClusterSize", "cacheClusterSize"),
    ):
        if prop in p:
            kwargs[arg] = p[prop]
    for prop, arg in (("TracingEnabled", "tracingEnabled"), ("CacheClusterEnabled", "cacheClusterEnabled")):
        if prop in p:
            kwargs[arg] = as_bool(p[prop])
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    gw.create_stage(**kwargs)
    ops: list[dict[str, str]] = []
    if "TracingEnabled" in p:  # moto's CreateStage may drop it; the patch states it again
        ops.append(
            {"op": "replace", "path": "/tracingEnabled", "value": str(as_bool(p["TracingEnabled"])).lower()}
        )
    for ms in p.get("MethodSettings", []):
        prefix = f"/{_escape_path(ms.get('ResourcePath', '/*'))}/{ms.get('HttpMethod', '*')}"
        for prop, sub in (
            ("LoggingLevel", "logging/loglevel"),
            ("DataTraceEnabled", "logging/dataTrace"),
            ("MetricsEnabled", "metrics/enabled"),
            ("ThrottlingRateLimit", "throttling/rateLimit"),
            ("ThrottlingBurstLimit", "throttling/burstLimit"),
            ("CachingEnabled", "caching/enabled"),
            ("CacheTtlInSeconds", "caching/ttlInSeconds"),
            ("CacheDataEncrypted", "caching/dataEncrypted"),
        ):
            if prop in ms:
                value = ms[prop]
                ops.append(
                    {
                        "op": "replace",
                        "path": f"{prefix}/{sub}",
                        "value": str(value).lower() if isinstance(value, bool) else str(value),
                    }
                )
    if "AccessLogSetting" in p:
        als = p["AccessLogSetting"]
        ops.append(
            {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": als["DestinationArn"]}
        )
        if "Format" in als:
            ops.append({"op": "replace", "path": "/accessLogSettings/format", "value": als["Format"]})
    if ops:
        gw.update_stage(restApiId=api_id, stageName=stage, patchOperations=ops)
    return Created(stage)


@handler("AWS::ApiGateway::ApiKey")
def api_key(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "name": p.get("Name") or ctx.physical_name(128),
        "enabled": as_bool(p.get("Enabled", False)),
    }
    if "Description" in p:
        kwargs["description"] = p["Description"]
    if "Value" in p:
        kwargs["value"] = p["Value"]
    if "StageKeys" in p:
        kwargs["stageKeys"] = [
            {"restApiId": s["RestApiId"], "stageName": s["StageName"]} for s in p["StageKeys"]
        ]
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    k = ctx.client("apigateway").create_api_key(**kwargs)
    return Created(k["id"], {"APIKeyId": k["id"]})


def _throttle(t: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "RateLimit" in t:
        out["rateLimit"] = float(t["RateLimit"])
    if "BurstLimit" in t:
        out["burstLimit"] = int(t["BurstLimit"])
    return out


@handler("AWS::ApiGateway::UsagePlan")
def usage_plan(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {"name": p.get("UsagePlanName") or ctx.physical_name(128)}
    if "Description" in p:
        kwargs["description"] = p["Description"]
    stages = []
    for s in p.get("ApiStages", []):
        st: dict[str, Any] = {"apiId": s["ApiId"], "stage": s["Stage"]}
        if s.get("Throttle"):
            st["throttle"] = {path: _throttle(t) for path, t in s["Throttle"].items()}
        stages.append(st)
    if stages:
        kwargs["apiStages"] = stages
    if p.get("Throttle"):
        kwargs["throttle"] = _throttle(p["Throttle"])
    if "Quota" in p:
        q = p["Quota"]
        kwargs["quota"] = {
            "limit": int(q["Limit"]),
            "period": q["Period"],
            **({"offset": int(q["Offset"])} if "Offset" in q else {}),
        }
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    plan = ctx.client("apigateway").create_usage_plan(**kwargs)
    return Created(plan["id"], {"Id": plan["id"]})


@handler("AWS::ApiGateway::UsagePlanKey")
def usage_plan_key(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("apigateway").create_usage_plan_key(
        usagePlanId=p["UsagePlanId"], keyId=p["KeyId"], keyType=p["KeyType"]
    )
    return Created(f"{p['UsagePlanId']}|{p['KeyId']}")


@handler("AWS::ApiGatewayV2::VpcLink")
def vpc_link(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    tags = p.get("Tags") or {}
    link = ctx.client("apigatewayv2").create_vpc_link(
        Name=p["Name"],
        SubnetIds=p.get("SubnetIds", []),
        SecurityGroupIds=p.get("SecurityGroupIds", []),
        Tags=tags if isinstance(tags, dict) else {t["Key"]: t["Value"] for t in tags},
    )
    return Created(link["VpcLinkId"], {"VpcLinkId": link["VpcLinkId"]})


@handler("AWS::ApiGateway::DomainName")
def domain_name(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {"domainName": p["DomainName"]}
    for prop, arg in (
        ("RegionalCertificateArn", "regionalCertificateArn"),
        ("CertificateArn", "certificateArn"),
        ("SecurityPolicy", "securityPolicy"),
    ):
        if prop in p:
            kwargs[arg] = p[prop]
    if "EndpointConfiguration" in p:
        kwargs["endpointConfiguration"] = {"types": p["EndpointConfiguration"]["Types"]}
    if ctx.tags(p):
        kwargs["tags"] = ctx.tag_dict(p)
    d = ctx.client("apigateway").create_domain_name(**kwargs)
    return Created(
        d["domainName"],
        {
            "RegionalDomainName": d.get("regionalDomainName", ""),
            "RegionalHostedZoneId": d.get("regionalHostedZoneId", ""),
            "DistributionDomainName": d.get("distributionDomainName", ""),
            "DistributionHostedZoneId": d.get("distributionHostedZoneId", ""),
        },
    )


@handler("AWS::ApiGateway::BasePathMapping")
def base_path_mapping(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {"domainName": p["DomainName"], "restApiId": p["RestApiId"]}
    if p.get("BasePath"):
        kwargs["basePath"] = p["BasePath"]
    if "Stage" in p:
        kwargs["stage"] = p["Stage"]
    m = ctx.client("apigateway").create_base_path_mapping(**kwargs)
    return Created(f"{p['DomainName']}|{m['basePath']}")
