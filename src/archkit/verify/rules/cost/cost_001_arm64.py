"""ARCH-COST-001: functions run on ARM64 (Graviton)."""

from __future__ import annotations

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-COST-001",
    title="Lambda functions run on ARM64 (Graviton)",
    severity="low",
    layer="cost",
    enforces="Compute Optimization: Lambda ARM64",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation="Set `architecture: arm64` on the function (and arm64-compatible layers).",
)
def check(fn: FunctionState, ctx: RuleContext) -> Outcome:
    """ARM64 Lambda costs about 20% less per GB-second than x86_64 for the same memory."""
    if fn.architecture == "arm64":
        return passed("arm64", attribute="architecture")
    return failed(
        f"runs on {fn.architecture}", attribute="architecture", expected="arm64", actual=fn.architecture
    )
