"""ARCH-LAM-003: a function's secrets come from Secrets Manager, by ARN."""

from __future__ import annotations

from archkit.spec.naming import secret_env_var
from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.kinds.secretsmanager_secret import SecretState
from archkit.verify.rules.base import Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.verify.rules.common import spec_entry


@rule(
    id="ARCH-LAM-003",
    title="Functions receive their secrets as Secrets Manager ARNs",
    severity="high",
    layer="application",
    enforces="Secrets Manager (DB_PASSWORD, API_KEYS, JWT_SECRET)",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation=(
        "List the secret under the function's `secrets`; archkit passes its ARN in `<NAME>_SECRET_ARN` and "
        "grants read access. Do not copy secret values into `environment`."
    ),
)
def check(fn: FunctionState, ctx: RuleContext) -> list[Outcome]:
    """For each secret the spec gives the function, `<NAME>_SECRET_ARN` must point at that Secrets Manager
    secret, and the secret must exist in the run's states."""
    declared = spec_entry(ctx.spec, fn.path)
    secrets = list(declared.secrets) if declared is not None else []
    if not secrets:
        return [not_applicable("the function uses no secret")]
    outcomes: list[Outcome] = []
    for key in secrets:
        var, path = secret_env_var(key), f"secrets.{key}"
        expected = "${" + path + ".arn}"
        value = fn.environment.get(var)
        if value != expected:
            outcomes.append(
                failed(
                    f"{var} does not reference the Secrets Manager secret {path}",
                    attribute=f"environment.{var}",
                    expected=expected,
                    actual=value,
                )
            )
        elif not isinstance(ctx.get(path), SecretState):
            outcomes.append(
                failed(f"secret {path} does not exist", attribute=f"environment.{var}", expected=path)
            )
        else:
            outcomes.append(passed(f"{var} references {path}", attribute=f"environment.{var}"))
    return outcomes
