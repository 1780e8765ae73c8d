"""ARCH-APIG-001: every method the spec does not declare public has an authorizer."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.rules.api._methods import declared_public
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-APIG-001",
    title="Every non-public API method has an authorizer",
    severity="high",
    layer="api",
    enforces="Custom Authorizers, OAuth 2.0 / JWT",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation=(
        "Set `api.default_authorizer` (or the method's `authorizer`); mark a deliberately public method "
        "with `authorizer: none`."
    ),
    counterparts=Counterparts(
        cdk_nag=("AwsSolutions-APIG4",),
        checkov=("CKV_AWS_59",),
        prowler=("apigateway_restapi_authorizers_enabled",),
    ),
    differences=(
        "cdk-nag AwsSolutions-APIG4 flags every method without authorization, including the ones the spec "
        "declares public (`/api/auth/login`, `/api/auth/refresh`, CORS preflights); archkit accepts a method "
        "the spec marks `authorizer: none`."
    ),
)
def check(api: ApiState, ctx: RuleContext) -> list[Outcome]:
    """One outcome per method: a method the spec does not mark public (including one the spec does not
    know at all) must name an authorizer."""
    outcomes: list[Outcome] = []
    for key, method in api.methods.items():
        attribute = f"methods.{key}.authorizer"
        if method.authorizer is not None:
            outcomes.append(passed(f"{key}: {method.authorizer}", attribute=attribute))
        elif declared_public(ctx.spec, key):
            outcomes.append(passed(f"{key} is public by the spec", attribute=attribute))
        else:
            outcomes.append(
                failed(f"{key} has no authorizer", attribute=attribute, expected="an authorizer", actual=None)
            )
    return outcomes
