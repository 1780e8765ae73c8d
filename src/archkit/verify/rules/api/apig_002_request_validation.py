"""ARCH-APIG-002: methods that take a body validate it against a model."""

from __future__ import annotations

from archkit.spec.api import BODY_METHODS
from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.rules.api._methods import split_key
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="ARCH-APIG-002",
    title="API methods with a body validate it against a request model",
    severity="medium",
    layer="api",
    enforces="Request Validation",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation="Give each POST/PUT/PATCH method a `request_model` (`validation` unset, `body` or `all`).",
    counterparts=Counterparts(cdk_nag=("AwsSolutions-APIG2",)),
    differences=(
        "cdk-nag AwsSolutions-APIG2 asks for a request validator on the REST API as a whole; archkit asks, "
        "per method with a body, for body validation against a model, and says nothing about GET/DELETE."
    ),
)
def check(api: ApiState, ctx: RuleContext) -> list[Outcome]:
    """Bodies are checked by API Gateway before the function runs (the seed's input validation)."""
    outcomes: list[Outcome] = []
    for key, method in api.methods.items():
        if split_key(key)[0] not in BODY_METHODS:
            continue
        attribute = f"methods.{key}.validation"
        if method.validation in ("body", "all") and method.request_model is not None:
            outcomes.append(passed(f"{key} validated by {method.request_model}", attribute=attribute))
        else:
            outcomes.append(
                failed(
                    f"{key} does not validate its body against a model",
                    attribute=attribute,
                    expected="validation body/all with a request model",
                    actual={"validation": method.validation, "request_model": method.request_model},
                )
            )
    return outcomes or [not_applicable("no method takes a body")]
