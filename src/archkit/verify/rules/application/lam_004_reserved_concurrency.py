"""ARCH-LAM-004: functions reserve their concurrency."""

from __future__ import annotations

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-LAM-004",
    title="Lambda functions set reserved concurrency",
    severity="low",
    layer="cost",
    enforces="Compute Optimization: Reserved Conc.",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation="Set `reserved_concurrency` on the function (sized to its share of the API's traffic).",
    counterparts=Counterparts(
        cdk_nag=("NIST.800.53.R5-LambdaConcurrency", "HIPAA.Security-LambdaConcurrency"),
        checkov=("CKV_AWS_115",),
        config=("lambda-concurrency-check",),
    ),
)
def check(fn: FunctionState, ctx: RuleContext) -> Outcome:
    """A reservation caps a runaway function's cost and keeps it from starving the others of the pool."""
    if fn.reserved_concurrency is None:
        return failed(
            "no reserved concurrency", attribute="reserved_concurrency", expected="a reservation", actual=None
        )
    return passed(f"{fn.reserved_concurrency} reserved", attribute="reserved_concurrency")
