"""ARCH-APIG-006: where usage plans exist, methods require API keys."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState, UsagePlanState
from archkit.verify.rules.api._methods import spec_method
from archkit.verify.rules.base import Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.wording import count


@rule(
    id="ARCH-APIG-006",
    title="API keys are required where usage plans exist",
    severity="medium",
    layer="api",
    enforces="API Keys & Usage Plans, API Key Validation",
    applies_to=ApiState,
    resource_type="AWS::ApiGateway::RestApi",
    remediation=(
        "Set `api_key_required: true` on the methods the usage plans meter (the reference spec: /api/items), "
        "or drop the unused usage plans."
    ),
)
def check(api: ApiState, ctx: RuleContext) -> list[Outcome]:
    """A usage plan only throttles and meters callers that present a key: without a method requiring one,
    the plan protects nothing. Every method the spec marks `api_key_required` must require it deployed."""
    plans = [
        p.path for p in ctx.of_type(UsagePlanState) if any(s.split(":")[0] == api.path for s in p.stages)
    ]
    if not plans:
        return [not_applicable("no usage plan is attached to the API")]
    keyed = [key for key, method in api.methods.items() if method.api_key_required]
    if not keyed:
        return [
            failed(
                f"usage plans {', '.join(plans)} exist but no method requires an API key",
                attribute="methods",
                expected="at least one method with api_key_required",
                actual=[],
            )
        ]
    outcomes: list[Outcome] = []
    for key, method in api.methods.items():
        declared = spec_method(ctx.spec, key)
        if declared is None or not declared.api_key_required:
            continue
        attribute = f"methods.{key}.api_key_required"
        if method.api_key_required:
            outcomes.append(passed(f"{key} requires an API key", attribute=attribute))
        else:
            outcomes.append(
                failed(f"{key} does not require an API key", attribute=attribute, expected=True, actual=False)
            )
    return outcomes or [
        passed(
            f"{count(len(keyed), 'method')} {'requires' if len(keyed) == 1 else 'require'} an API key",
            attribute="methods",
        )
    ]
