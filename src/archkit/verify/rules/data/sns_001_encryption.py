"""ARCH-SNS-001: SNS topics encrypt messages at rest."""

from __future__ import annotations

from archkit.verify.kinds.sns_topic import TopicState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-SNS-001",
    title="SNS topics encrypt their messages at rest with KMS",
    severity="medium",
    layer="data",
    enforces="Encryption at Rest (AES-256)",
    applies_to=TopicState,
    resource_type="AWS::SNS::Topic",
    remediation="Keep the topic's `encryption` (`aws_managed`, the default, or `kms` with a `kms_key`).",
    counterparts=Counterparts(
        security_hub=("SNS.1",),
        cdk_nag=("NIST.800.53.R5-SNSEncryptedKMS",),
        checkov=("CKV_AWS_26",),
        prowler=("sns_topics_kms_encryption_at_rest_enabled",),
    ),
    differences=(
        "cdk-nag's AwsSolutions pack no longer checks topic encryption (its NIST/HIPAA/PCI packs do); "
        "archkit checks every topic, with the AWS-managed key `alias/aws/sns` as the default."
    ),
)
def check(topic: TopicState, ctx: RuleContext) -> Outcome:
    """SNS stores a message until every subscriber has it; only a KMS key keeps that copy encrypted."""
    if topic.encryption != "none":
        return passed(f"{topic.encryption} ({topic.kms_key})", attribute="encryption")
    return failed(
        "the topic is not encrypted at rest",
        attribute="encryption",
        expected="aws_managed or kms",
        actual="none",
    )
