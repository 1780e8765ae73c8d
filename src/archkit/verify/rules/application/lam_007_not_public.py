"""ARCH-LAM-007: no function may be invoked by everyone."""

from __future__ import annotations

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.verify.rules.common import public_statements


@rule(
    id="ARCH-LAM-007",
    title="Lambda function resource policies grant no invocation to everyone",
    severity="critical",
    layer="application",
    enforces="IAM Roles (functions run only when the API, the load balancer or AWS call them)",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation=(
        "Remove the permission for `Principal: *` (`aws lambda remove-permission`); the spec's callers (API "
        "routes, authorizers, load balancer targets, rotation) get scoped permissions from archkit."
    ),
    counterparts=Counterparts(
        security_hub=("Lambda.1",),
        prowler=("awslambda_function_not_publicly_accessible",),
        config=("lambda-function-public-access-prohibited",),
    ),
    differences=(
        "A `*` principal scoped by a source account, ARN, organization or VPC condition is not public, as "
        "for Security Hub; checkov has no CloudFormation check of an `AWS::Lambda::Permission` for `*`."
    ),
)
def check(fn: FunctionState, ctx: RuleContext) -> Outcome:
    """A permission for everyone lets any AWS account (or, with a function URL, anyone) invoke the function,
    bypassing the API's authorizer, WAF and throttling."""
    public = public_statements(fn.resource_policy)
    if public:
        actions = ", ".join(fn.resource_policy[public[0]].actions)
        return failed(
            f"the resource policy allows everyone ({actions})",
            attribute=f"resource_policy[{public[0]}]",
            expected=None,
            actual=fn.resource_policy[public[0]].model_dump(mode="json"),
        )
    return passed("no permission for everyone", attribute="resource_policy")
