"""Application stack, API part: the route tree, authorizer, validation, keys, plans, stage settings."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
APP = "shop-prod-application"


def _fn_id(assembly, name: str) -> str:
    return assembly.one(APP, "AWS::Lambda::Function", FunctionName=f"shop-prod-{name}")[0]


def _paths(assembly) -> dict[str, str]:
    """Full resource path → logical id."""
    resources = assembly.resources(APP, "AWS::ApiGateway::Resource")
    path: dict[str, str] = {}

    def full(key: str) -> str:
        parent = resources[key]["Properties"]["ParentId"]
        prefix = full(parent["Ref"]) if "Ref" in parent else ""
        return f"{prefix}/{resources[key]['Properties']['PathPart']}"

    for key in resources:
        path[full(key)] = key
    return path


def test_rest_api(assembly):
    assembly.template(APP).has_resource_properties(
        "AWS::ApiGateway::RestApi",
        {
            "Name": "shop-prod-api",
            "Description": "Shop REST API",
            "EndpointConfiguration": {"Types": ["REGIONAL"]},
            "ApiKeySourceType": "HEADER",
            "MinimumCompressionSize": 1024,
            "DisableExecuteApiEndpoint": False,
        },
    )
    _, api = assembly.one(APP, "AWS::ApiGateway::RestApi", Name="shop-prod-api")
    assert "Policy" not in api["Properties"]  # ip_allow_list is empty


def test_stage_throttling_logging_and_tracing(assembly):
    group = assembly.one(APP, "AWS::Logs::LogGroup", LogGroupName="/aws/apigateway/shop-prod-api/v1/access")[
        0
    ]
    assembly.template(APP).has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "StageName": "v1",
            "TracingEnabled": True,
            "AccessLogSetting": {
                "DestinationArn": {"Fn::GetAtt": [group, "Arn"]},
                "Format": Match.string_like_regexp("requestId"),
            },
            "MethodSettings": [
                {
                    "DataTraceEnabled": False,
                    "HttpMethod": "*",
                    "LoggingLevel": "INFO",
                    "MetricsEnabled": True,
                    "ResourcePath": "/*",
                    "ThrottlingBurstLimit": 5000,
                    "ThrottlingRateLimit": 10000,
                }
            ],
        },
    )
    assembly.template(APP).has_resource_properties(
        "AWS::Logs::LogGroup",
        {"LogGroupName": "/aws/apigateway/shop-prod-api/v1/access", "RetentionInDays": 90},
    )


ROUTES = [
    ("/api/users", "GET", "get-user", "CUSTOM", False),
    ("/api/users", "POST", "add-user", "CUSTOM", False),
    ("/api/users/{id}", "GET", "get-user-id", "CUSTOM", False),
    ("/api/users/{id}", "PUT", "get-user-id", "CUSTOM", False),
    ("/api/users/{id}", "DELETE", "get-user-id", "CUSTOM", False),
    ("/api/items", "GET", "get-items", "CUSTOM", True),
    ("/api/items", "POST", "add-item", "CUSTOM", True),
    ("/api/auth/login", "POST", "auth", "NONE", False),
    ("/api/auth/refresh", "POST", "auth", "NONE", False),
]
# Methods integrated through the VPC link: API Gateway -> ALB (alb.<domain>) -> target group -> function.
VPC_LINK_ROUTES = {("/api/items", "GET")}


def _alb_routes_path_to(assembly, path: str, function: str) -> None:
    """The ALB's listener forwards ``path`` to a Lambda target group whose only target is ``function``."""
    fn = _fn_id(assembly, function)
    groups = {
        k
        for k, g in assembly.resources(APP, "AWS::ElasticLoadBalancingV2::TargetGroup").items()
        if g["Properties"]["TargetType"] == "lambda"
        and g["Properties"]["Targets"] == [{"Id": {"Fn::GetAtt": [fn, "Arn"]}}]
    }
    forwarding = [
        r["Properties"]
        for r in assembly.resources(APP, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
        if path in r["Properties"]["Conditions"][0]["PathPatternConfig"]["Values"]
    ]
    assert [r["Actions"] for r in forwarding] == [
        [{"TargetGroupArn": {"Ref": g}, "Type": "forward"} for g in groups]
    ]
    assert len(groups) == 1


@pytest.mark.parametrize(("path", "verb", "function", "auth", "key_required"), ROUTES)
def test_route_tree_is_bound_to_its_functions(assembly, path, verb, function, auth, key_required):
    paths = _paths(assembly)
    methods = [
        m
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == verb and m["Properties"]["ResourceId"] == {"Ref": paths[path]}
    ]
    assert len(methods) == 1
    props = methods[0]["Properties"]
    assert props["AuthorizationType"] == auth
    assert props["ApiKeyRequired"] is key_required
    if (path, verb) in VPC_LINK_ROUTES:
        link = next(iter(assembly.resources(APP, "AWS::ApiGatewayV2::VpcLink")))
        alb = next(iter(assembly.resources(APP, "AWS::ElasticLoadBalancingV2::LoadBalancer")))
        assert props["Integration"] == {
            "ConnectionId": {"Ref": link},
            "ConnectionType": "VPC_LINK",
            "IntegrationHttpMethod": verb,
            "IntegrationTarget": {"Ref": alb},
            "Type": "HTTP_PROXY",
            "Uri": f"https://alb.shop.example.com{path}",
        }
        _alb_routes_path_to(assembly, path, function)
    else:
        assert _fn_id(assembly, function) in str(props["Integration"]["Uri"])
    if auth == "CUSTOM":
        authorizer = next(iter(assembly.resources(APP, "AWS::ApiGateway::Authorizer")))
        assert props["AuthorizerId"] == {"Ref": authorizer}


def test_cors_preflight_on_routes(assembly):
    paths = _paths(assembly)
    options = [
        m
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]
    covered = {m["Properties"].get("ResourceId", {}).get("Ref") for m in options}
    assert {
        paths["/api/users"],
        paths["/api/users/{id}"],
        paths["/api/items"],
        paths["/api/auth/login"],
    } <= covered
    headers = options[0]["Properties"]["Integration"]["IntegrationResponses"][0]["ResponseParameters"]
    assert headers["method.response.header.Access-Control-Allow-Origin"] == "'https://shop.example.com'"
    assert (
        headers["method.response.header.Access-Control-Allow-Headers"]
        == "'Authorization,Content-Type,X-Api-Key'"
    )
    assert headers["method.response.header.Access-Control-Max-Age"] == "'600'"


def test_token_authorizer(assembly):
    fn = _fn_id(assembly, "authorizer")
    assembly.template(APP).has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {
            "Name": "shop-prod-jwt",
            "Type": "TOKEN",
            "IdentitySource": "method.request.header.Authorization",
            "AuthorizerResultTtlInSeconds": 300,
        },
    )
    _, authorizer = next(iter(assembly.resources(APP, "AWS::ApiGateway::Authorizer").items()))
    assert fn in str(authorizer["Properties"]["AuthorizerUri"])


def test_request_validation_and_models(assembly):
    template = assembly.template(APP)
    template.has_resource_properties(
        "AWS::ApiGateway::Model",
        {
            "Name": "User",
            "ContentType": "application/json",
            "Schema": Match.object_like(
                {
                    "$schema": "http://json-schema.org/draft-04/schema#",
                    "type": "object",
                    "required": ["name", "email"],
                }
            ),
        },
    )
    validators = {
        v["Properties"]["Name"]: k
        for k, v in assembly.resources(APP, "AWS::ApiGateway::RequestValidator").items()
    }
    assert assembly.resources(APP, "AWS::ApiGateway::RequestValidator")[validators["shop-prod-validate-all"]][
        "Properties"
    ] == {
        "Name": "shop-prod-validate-all",
        "RestApiId": {"Ref": assembly.one(APP, "AWS::ApiGateway::RestApi", Name="shop-prod-api")[0]},
        "ValidateRequestBody": True,
        "ValidateRequestParameters": True,
    }
    paths = _paths(assembly)
    post_items = next(
        m["Properties"]
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "POST"
        and m["Properties"]["ResourceId"] == {"Ref": paths["/api/items"]}
    )
    assert post_items["RequestModels"] == {"application/json": "Item"}
    assert post_items["RequestValidatorId"] == {"Ref": validators["shop-prod-validate-all"]}
    get_items = next(
        m["Properties"]
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "GET"
        and m["Properties"]["ResourceId"] == {"Ref": paths["/api/items"]}
    )
    assert get_items["RequestParameters"] == {"method.request.querystring.limit": False}
    assert get_items["RequestValidatorId"] == {"Ref": validators["shop-prod-validate-params"]}


def test_mapped_integration_of_refresh(assembly):
    paths = _paths(assembly)
    refresh = next(
        m["Properties"]
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["ResourceId"] == {"Ref": paths["/api/auth/refresh"]}
        and m["Properties"]["HttpMethod"] == "POST"
    )
    integration = refresh["Integration"]
    assert integration["Type"] == "AWS"
    assert integration["PassthroughBehavior"] == "NEVER"
    assert integration["RequestTemplates"] == {
        "application/json": '{"action": "refresh", "body": $input.json(\'$\'), '
        '"sourceIp": "$context.identity.sourceIp"}'
    }
    assert integration["IntegrationResponses"] == [
        {"StatusCode": "200", "ResponseTemplates": {"application/json": "$input.json('$')"}}
    ]
    assert refresh["MethodResponses"] == [{"StatusCode": "200"}]
    login = next(
        m["Properties"]
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["ResourceId"] == {"Ref": paths["/api/auth/login"]}
        and m["Properties"]["HttpMethod"] == "POST"
    )
    assert login["Integration"]["Type"] == "AWS_PROXY"


def test_mock_health_check_answers_without_a_function(assembly):
    paths = _paths(assembly)
    health = next(
        m["Properties"]
        for m in assembly.resources(APP, "AWS::ApiGateway::Method").values()
        if m["Properties"]["ResourceId"] == {"Ref": paths["/api/health"]}
        and m["Properties"]["HttpMethod"] == "GET"
    )
    assert health["AuthorizationType"] == "NONE"
    assert health["Integration"] == {
        "Type": "MOCK",
        "PassthroughBehavior": "NEVER",
        "RequestTemplates": {"application/json": '{"statusCode": 200}'},
        "IntegrationResponses": [
            {"StatusCode": "200", "ResponseTemplates": {"application/json": '{"status":"ok"}'}}
        ],
    }
    assert health["MethodResponses"] == [{"StatusCode": "200"}]
    permissions = assembly.resources(APP, "AWS::Lambda::Permission").values()
    assert not any("/api/health" in str(p["Properties"].get("SourceArn")) for p in permissions)


def test_api_key_and_usage_plan(assembly):
    key_id, _ = assembly.one(APP, "AWS::ApiGateway::ApiKey", Name="shop-prod-partner")
    plan_id, plan = assembly.one(APP, "AWS::ApiGateway::UsagePlan", UsagePlanName="shop-prod-partners")
    assert plan["Properties"]["Throttle"] == {"BurstLimit": 200, "RateLimit": 100}
    assert plan["Properties"]["Quota"] == {"Limit": 1000000, "Period": "MONTH"}
    stage_id = next(iter(assembly.resources(APP, "AWS::ApiGateway::Stage")))
    assert plan["Properties"]["ApiStages"][0]["Stage"] == {"Ref": stage_id}
    assembly.template(APP).has_resource_properties(
        "AWS::ApiGateway::UsagePlanKey",
        {"KeyId": {"Ref": key_id}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": plan_id}},
    )


def test_lambda_permissions_are_scoped_to_their_method(assembly):
    fn = _fn_id(assembly, "add-item")
    permissions = [
        p["Properties"]
        for p in assembly.resources(APP, "AWS::Lambda::Permission").values()
        if p["Properties"]["FunctionName"] == {"Fn::GetAtt": [fn, "Arn"]}
    ]
    assert [p["Principal"] for p in permissions] == ["apigateway.amazonaws.com"]
    stage_id = next(iter(assembly.resources(APP, "AWS::ApiGateway::Stage")))
    assert permissions[0]["SourceArn"]["Fn::Join"][1][-2:] == [{"Ref": stage_id}, "/POST/api/items"]


def test_vpc_link_function_is_invoked_only_by_its_target_group(assembly):
    """get_items serves GET /api/items through the VPC link: only the load balancer may invoke it."""
    fn = _fn_id(assembly, "get-items")
    permissions = [
        p["Properties"]
        for p in assembly.resources(APP, "AWS::Lambda::Permission").values()
        if p["Properties"]["FunctionName"] == {"Fn::GetAtt": [fn, "Arn"]}
    ]
    assert [p["Principal"] for p in permissions] == ["elasticloadbalancing.amazonaws.com"]
    assert permissions[0]["SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert permissions[0]["SourceArn"]["Fn::Join"][1][-1] == ":targetgroup/shop-prod-get-items/*"
