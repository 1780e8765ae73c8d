"""ARCH-LAM-008: a service may invoke a function only for this account's resources (no confused deputy)."""

from __future__ import annotations

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.rules.common import is_narrowed

SERVICE_SUFFIX = ".amazonaws.com"


@rule(
    id="ARCH-LAM-008",
    title="Lambda permissions for AWS services are scoped by SourceArn or SourceAccount",
    severity="high",
    layer="application",
    enforces="IAM Roles (least privilege: a service invokes a function only on this system's behalf)",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation=(
        "Give the permission a `SourceArn` (the API, target group or secret) or a `SourceAccount`; archkit "
        "scopes the permissions it generates, so a permission without either was added by hand."
    ),
    counterparts=Counterparts(checkov=("CKV_AWS_364",)),
    differences=(
        "checkov CKV_AWS_364 inspects each `AWS::Lambda::Permission` of a template; archkit reads the "
        "deployed resource policy, so it also sees permissions added outside CloudFormation."
    ),
)
def check(fn: FunctionState, ctx: RuleContext) -> list[Outcome]:
    """A service principal allowed without a source condition acts for any account: another account's API,
    load balancer or secret could have the service invoke this function (the confused deputy)."""
    out = []
    for key, statement in fn.resource_policy.items():
        effect, _, principal = key.partition(" ")
        if effect != "Allow" or not principal.endswith(SERVICE_SUFFIX):
            continue
        if is_narrowed(statement.conditions):
            out.append(passed(f"{principal} is scoped", attribute=f"resource_policy[{key}]"))
        else:
            out.append(
                failed(
                    f"{principal} may invoke the function for any account (no SourceArn or SourceAccount)",
                    attribute=f"resource_policy[{key}].conditions",
                    expected="a SourceArn or SourceAccount condition",
                    actual=list(statement.conditions),
                )
            )
    return out or [not_applicable("no permission for an AWS service")]
