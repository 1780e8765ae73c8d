"""ARCH-IAM-001: function roles grant no wildcard actions or resources on data stores."""

from __future__ import annotations

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, not_applicable, passed, rule
from archkit.wording import count

DATA_SERVICES = ("dynamodb", "s3", "secretsmanager", "kms", "rds", "rds-data")
"""Services holding the system's data (the seed's data layer)."""


UNSCOPABLE_ACTIONS = frozenset(
    {
        "dynamodb:listtables",
        "dynamodb:liststreams",
        "dynamodb:describelimits",
        "dynamodb:describeendpoints",
        "s3:listallmybuckets",
        "secretsmanager:getrandompassword",
        "secretsmanager:listsecrets",
        "kms:listkeys",
        "kms:listaliases",
        "kms:createkey",
    }
)
"""Data-service actions AWS only authorizes on `*` (no resource-level permissions): `*` is the only choice."""


def data_service(action: str) -> str | None:
    """The data service an action belongs to (`*` counts as all of them), else None."""
    if action == "*":
        return "*"
    service = action.split(":", 1)[0].lower()
    return service if service in DATA_SERVICES else None


def _unscoped(resource: str) -> bool:
    """`*`, or an ARN whose resource part is nothing but wildcards (`arn:aws:s3:::*`, `table/*`)."""
    if resource == "*":
        return True
    tail = resource.split(":", 5)[-1] if resource.startswith("arn:") else resource
    name = tail.split("/", 1)[1] if "/" in tail else tail
    return name.strip("*") == ""


def wildcard_grants(statements: list[tuple[list[str], list[str]]]) -> list[str]:
    """Human-readable wildcard grants on data stores in (actions, resources) statements.

    A wildcard *action* is a whole service (`dynamodb:*`) or everything (`*`); named action groups such
    as `s3:GetObject*` are accepted. A wildcard *resource* is `*` or an ARN whose resource part is all
    wildcard (`arn:aws:dynamodb:*:*:table/*`), for an action that can be scoped; a wildcard below a
    named resource (`table/x/index/*`, `bucket/uploads/*`) is scoped and accepted.
    """
    problems: list[str] = []
    for actions, resources in statements:
        data_actions = [a for a in actions if data_service(a) is not None]
        for action in data_actions:
            if action == "*" or action.split(":", 1)[-1] == "*":
                problems.append(f"action {action}")
        scopable = sorted(a for a in data_actions if a.lower() not in UNSCOPABLE_ACTIONS)
        if not scopable:
            continue
        for resource in resources:
            if _unscoped(resource):
                problems.append(f"resource {resource} for {', '.join(scopable)}")
    return sorted(set(problems))


@rule(
    id="ARCH-IAM-001",
    title="Function roles grant no wildcard actions or resources on data stores",
    severity="high",
    layer="application",
    enforces="IAM Roles (Least Privilege)",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation=(
        "Grant through the function's `grants` (tables/buckets/secrets with read, write or read_write and "
        "optional prefixes); remove hand-written statements with `*` actions or resources."
    ),
    counterparts=Counterparts(
        security_hub=("IAM.21",),
        cdk_nag=("AwsSolutions-IAM5", "Serverless-LambdaStarPermissions"),
        checkov=("CKV_AWS_111",),
        config=("iam-policy-no-statements-with-full-access",),
    ),
    differences=(
        "cdk-nag AwsSolutions-IAM5 flags any `*` in a statement, including the scoped ones CDK grants "
        "produce (`table/<name>/index/*`, `bucket/uploads/*`, `s3:GetObject*` action groups, "
        "`dynamodb:ListStreams` on "
        "`*`); archkit flags whole-service actions and unscoped resources of scopable actions only."
    ),
)
def check(fn: FunctionState, ctx: RuleContext) -> Outcome:
    """Checked on the account: the execution role's Allow statements, as read. Before deploy the roles are
    generated from the spec's grants, which cannot express a wildcard, so the rule does not apply."""
    if fn.role_statements is None:
        return not_applicable("role statements are generated from the spec's grants (checked on the account)")
    problems = wildcard_grants([(list(s.actions), list(s.resources)) for s in fn.role_statements])
    if problems:
        return failed(
            f"role {fn.role} has wildcard grants on data stores: {'; '.join(problems)}",
            attribute="role_statements",
            expected="actions and resources named explicitly",
            actual=problems,
        )
    return passed(f"role {fn.role}: {count(len(fn.role_statements), 'statement')}, no data-store wildcards")
