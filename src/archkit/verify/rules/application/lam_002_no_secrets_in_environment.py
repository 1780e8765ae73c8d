"""ARCH-LAM-002: no secret values in environment variables."""

from __future__ import annotations

import re

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.wording import count

MASKED_PREFIX = "sha256:"
"""States replace the value of a secret-looking variable (PASSWORD, TOKEN, API_KEY...) by its digest."""

SECRET_VALUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Stripe secret key": re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    "password in a URL": re.compile(r"://[^/\s:@]+:[^/\s@]+@"),
}


def secret_kind(name: str, value: str) -> str | None:
    """Why a variable looks like it carries a secret, or None."""
    if value.startswith(MASKED_PREFIX):
        return "a literal value under a secret-looking name"
    for kind, pattern in SECRET_VALUE_PATTERNS.items():
        if pattern.search(value):
            return f"a value shaped like a {kind}"
    return None


@rule(
    id="ARCH-LAM-002",
    title="Lambda environment variables hold no secrets",
    severity="critical",
    layer="application",
    enforces="Secrets Manager (never secrets in environment variables)",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation=(
        "Move the value into a Secrets Manager secret (`secrets:`), list it under the function's `secrets`, "
        "and read it at run time from the ARN in `<NAME>_SECRET_ARN`."
    ),
    counterparts=Counterparts(
        checkov=("CKV_AWS_45",),
        prowler=("awslambda_function_no_secrets_in_variables",),
    ),
)
def check(fn: FunctionState, ctx: RuleContext) -> list[Outcome]:
    """A variable fails when its name looks secret (PASSWORD, SECRET, TOKEN, API_KEY...) and its value is a
    literal rather than a reference (`${secrets.x.arn}`, an ARN), or when its value has the shape of a
    well-known credential (AWS key id, private key, GitHub/Slack/Stripe token, JWT, password in a URL)."""
    outcomes: list[Outcome] = []
    for name, value in fn.environment.items():
        kind = secret_kind(name, value)
        if kind is not None:
            outcomes.append(
                failed(
                    f"{name} holds {kind}",
                    attribute=f"environment.{name}",
                    expected="a reference to a Secrets Manager secret",
                    actual=value if value.startswith(MASKED_PREFIX) else "<redacted>",
                )
            )
    return outcomes or [
        passed(f"{count(len(fn.environment), 'variable')}, none secret", attribute="environment")
    ]
