"""ARCH-KMS-001: customer-managed KMS keys rotate yearly."""

from __future__ import annotations

from archkit.verify.kinds.kms_key import KmsKeyState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-KMS-001",
    title="Customer-managed KMS keys have automatic rotation",
    severity="medium",
    layer="data",
    enforces="KMS Key Management",
    applies_to=KmsKeyState,
    resource_type="AWS::KMS::Key",
    remediation="Set `rotation: true` on the key under `security.kms_keys`.",
    counterparts=Counterparts(
        security_hub=("KMS.4",),
        cdk_nag=("AwsSolutions-KMS5", "NIST.800.53.R5-KMSBackingKeyRotationEnabled"),
        checkov=("CKV_AWS_7",),
        prowler=("kms_cmk_rotation_enabled",),
        config=("cmk-backing-key-rotation-enabled",),
        cis=("3.8",),
    ),
)
def check(key: KmsKeyState, ctx: RuleContext) -> Outcome:
    """Yearly rotation of the key material limits what one compromised version can decrypt."""
    if key.rotation:
        return passed("rotation on", attribute="rotation")
    return failed("automatic rotation is off", attribute="rotation", expected=True, actual=False)
