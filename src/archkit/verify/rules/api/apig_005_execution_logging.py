"""ARCH-APIG-005: the stage writes execution logs."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-005",
    title="The API stage writes execution logs (ERROR or INFO)",
    severity="medium",
    layer="api",
    enforces="CloudWatch Logging",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation="Set `api.logging.execution_level` to `ERROR` or `INFO`.",
    counterparts=Counterparts(
        security_hub=("APIGateway.1",),
        cdk_nag=("AwsSolutions-APIG6", "NIST.800.53.R5-APIGWExecutionLoggingEnabled"),
        prowler=("apigateway_restapi_logging_enabled",),
        config=("api-gw-execution-logging-enabled",),
    ),
)
def check(api: ApiState, ctx: RuleContext) -> Outcome:
    """Execution logs show authorizer, validation and integration errors for every method."""
    if api.logging.execution_level in ("ERROR", "INFO"):
        return passed(api.logging.execution_level, attribute="logging.execution_level")
    return failed(
        "execution logging is off",
        attribute="logging.execution_level",
        expected=["ERROR", "INFO"],
        actual=api.logging.execution_level,
    )
