"""ARCH-SMG-001: secrets rotate automatically."""

from __future__ import annotations

from archkit.verify.kinds.secretsmanager_secret import SecretState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.wording import count


@rule(
    id="ARCH-SMG-001",
    title="Secrets Manager secrets rotate automatically",
    severity="high",
    layer="application",
    enforces="Secrets Manager",
    applies_to=SecretState,
    resource_type="AWS::SecretsManager::Secret",
    remediation="Add `rotation: {days: 30, function: <rotation function>}` to the secret.",
    counterparts=Counterparts(
        security_hub=("SecretsManager.1",),
        cdk_nag=("AwsSolutions-SMG4", "NIST.800.53.R5-SecretsManagerRotationEnabled"),
        prowler=("secretsmanager_automatic_rotation_enabled",),
        config=("secretsmanager-rotation-enabled-check",),
    ),
)
def check(secret: SecretState, ctx: RuleContext) -> Outcome:
    """Rotation limits how long a leaked value stays useful."""
    if secret.rotation_enabled:
        days = secret.rotation_days
        detail = f"rotates every {count(days, 'day')}" if days is not None else "rotates"
        return passed(detail, attribute="rotation_enabled")
    return failed("automatic rotation is off", attribute="rotation_enabled", expected=True, actual=False)
