"""ARCH-SMG-002: no secret's resource policy grants access to everyone."""

from __future__ import annotations

from archkit.verify.kinds.secretsmanager_secret import SecretState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.verify.rules.common import public_statements


@rule(
    id="ARCH-SMG-002",
    title="Secrets Manager resource policies grant no access to everyone",
    severity="critical",
    layer="application",
    enforces="Secrets Manager (values readable only by the functions the spec names)",
    applies_to=SecretState,
    resource_type="AWS::SecretsManager::Secret",
    remediation=(
        "Remove the statement for `Principal: *` from the secret's resource policy (`aws secretsmanager "
        "delete-resource-policy`, or put back the policy CDK deployed); grant readers through the spec "
        "(`functions.<f>.secrets`)."
    ),
    counterparts=Counterparts(prowler=("secretsmanager_not_publicly_accessible",)),
    differences=(
        "Secrets Manager's own `BlockPublicPolicy` refuses such a policy when it is set on the call; archkit "
        "reads the policy in place, however it got there."
    ),
)
def check(secret: SecretState, ctx: RuleContext) -> Outcome:
    """A statement for everyone exposes the secret's value to every AWS account (as its key allows)."""
    public = public_statements(secret.resource_policy)
    if public:
        return failed(
            f"the resource policy allows everyone ({', '.join(secret.resource_policy[public[0]].actions)})",
            attribute=f"resource_policy[{public[0]}]",
            expected=None,
            actual=secret.resource_policy[public[0]].model_dump(mode="json"),
        )
    return passed("no statement for everyone", attribute="resource_policy")
