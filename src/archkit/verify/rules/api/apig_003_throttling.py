"""ARCH-APIG-003: the stage sets its own throttling."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-003",
    title="The API stage sets throttling (rate and burst)",
    severity="medium",
    layer="api",
    enforces="Request Throttling",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation="Set `api.throttling: {rate: ..., burst: ...}` (the seed asks 10k requests per second).",
    counterparts=Counterparts(cdk_nag=("Serverless-APIGWDefaultThrottling",)),
)
def check(api: ApiState, ctx: RuleContext) -> Outcome:
    """Stage-level rate and burst limits protect the functions and tables behind the API."""
    limits = api.throttling
    if limits.rate > 0 and limits.burst > 0:
        return passed(f"{limits.rate:g} requests/s, burst {limits.burst}", attribute="throttling")
    return failed(
        "stage throttling is not set",
        attribute="throttling",
        expected="rate > 0 and burst > 0",
        actual={"rate": limits.rate, "burst": limits.burst},
    )
