"""ARCH-CFR-003: CloudFront accepts TLS 1.2 or newer (the spec's `security.data.tls_minimum`)."""

from __future__ import annotations

import re

from archkit.verify.kinds.cloudfront_distribution import DistributionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule

_POLICY_VERSION = re.compile(r"^TLSv(\d+)(?:\.(\d+))?")


def policy_version(policy: str) -> tuple[int, int]:
    """(major, minor) TLS version of a CloudFront security policy such as `TLSv1.2_2021`; SSLv3 is (0, 0)."""
    match = _POLICY_VERSION.match(policy)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else (0, 0)


@rule(
    id="ARCH-CFR-003",
    title="CloudFront requires TLS 1.2 or newer from viewers",
    severity="high",
    layer="edge",
    enforces="Encryption in Transit (TLS)",
    applies_to=DistributionState,
    resource_type="AWS::CloudFront::Distribution",
    remediation=(
        "Set `edge.cdn.minimum_tls: TLSv1.2_2021` (and a custom certificate via `edge.dns`); the default "
        "CloudFront certificate allows TLSv1."
    ),
    counterparts=Counterparts(
        cdk_nag=("AwsSolutions-CFR4",),
        checkov=("CKV_AWS_174",),
        prowler=("cloudfront_distributions_using_deprecated_ssl_protocols",),
        config=("cloudfront-security-policy-check",),
    ),
)
def check(dist: DistributionState, ctx: RuleContext) -> Outcome:
    """The viewer security policy's minimum protocol is at least the spec's `security.data.tls_minimum`."""
    major, _, minor = ctx.spec.security.data.tls_minimum.partition(".")
    required = (int(major), int(minor or 0))
    if policy_version(dist.minimum_tls) >= required:
        return passed(dist.minimum_tls)
    return failed(
        f"minimum viewer protocol {dist.minimum_tls} is below TLS {ctx.spec.security.data.tls_minimum}",
        attribute="minimum_tls",
        expected=f"TLSv{ctx.spec.security.data.tls_minimum} or newer",
        actual=dist.minimum_tls,
    )
