"""ARCH-APIG-004: the stage writes access logs."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-004",
    title="The API stage writes access logs",
    severity="medium",
    layer="api",
    enforces="CloudWatch Logging",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation="Set `api.logging.access_logs: true`.",
    counterparts=Counterparts(
        cdk_nag=("AwsSolutions-APIG1", "Serverless-APIGWAccessLogging"),
        checkov=("CKV_AWS_76",),
        prowler=("apigateway_restapi_logging_enabled",),
    ),
)
def check(api: ApiState, ctx: RuleContext) -> Outcome:
    """Access logs record who called which route with which result."""
    if api.logging.access_logs:
        return passed("access logs on", attribute="logging.access_logs")
    return failed("access logging is off", attribute="logging.access_logs", expected=True, actual=False)
