"""ARCH-APIG-008: the stage traces requests with X-Ray."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-008",
    title="The API stage has X-Ray tracing",
    severity="low",
    layer="api",
    enforces="CloudWatch Logging (observability)",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation="Set `api.tracing: true`.",
    counterparts=Counterparts(
        security_hub=("APIGateway.3",),
        cdk_nag=("Serverless-APIGWXrayEnabled",),
        checkov=("CKV_AWS_73",),
        prowler=("apigateway_restapi_tracing_enabled",),
        config=("api-gw-xray-enabled",),
    ),
)
def check(api: ApiState, ctx: RuleContext) -> Outcome:
    """Traces follow a request from the stage through the function to DynamoDB."""
    if api.tracing:
        return passed("X-Ray on", attribute="tracing")
    return failed("X-Ray tracing is off", attribute="tracing", expected=True, actual=False)
