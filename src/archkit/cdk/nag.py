"""cdk-nag: run the AwsSolutions pack on the app and apply the spec's suppressions."""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

from archkit.cdk.context import BuildContext
from archkit.spec.name_patterns import NameKind
from archkit.spec.naming import physical_name
from archkit.spec.placeholders import resolve_placeholders
from archkit.spec.suppressions import implied_nag_suppressions


def expand(finding: str, ctx: BuildContext) -> str:
    """Fill ``${region}``, ``${project}``, ``${environment}``, ``${tables.<k>.name}`` and
    ``${buckets.<k>.name}`` in a finding id, so one suppression fits every environment."""
    return resolve_placeholders(ctx.spec, finding)


def acknowledge(scope: IConstruct, rule: str, reason: str, findings: Iterable[str] = ()) -> None:
    """archkit's own acknowledgment of a finding its construct causes by design, on that construct (and
    its children) only, limited to ``findings`` when given, with the reason: the user never writes it."""
    for rule_id in [f"{rule}[{finding}]" for finding in findings] or [rule]:
        cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))


NAG_ACCOUNT = "<AWS::AccountId>"
"""How cdk-nag writes the account in a finding id (a name holding ``{account}`` is deployed with a token)."""


def nag_name(ctx: BuildContext, key: str, kind: NameKind) -> str:
    """A physical name as it appears in a cdk-nag finding id (``{account}`` as cdk-nag writes the token)."""
    return physical_name(ctx.spec.for_account(NAG_ACCOUNT), key, kind)


def apply_nag(app: cdk.App, stacks: list[cdk.Stack], ctx: BuildContext) -> None:
    """Register the AwsSolutions pack and acknowledge each entry of ``spec.compliance.nag_suppressions``.

    An entry with ``applies_to`` acknowledges only those findings (``AwsSolutions-IAM5[Resource::*]``);
    one with ``resource`` only on the constructs implementing that spec path, else on every stack.
    """
    for entry in [*ctx.spec.compliance.nag_suppressions, *implied_nag_suppressions(ctx.spec)]:
        ids = [f"{entry.rule}[{expand(finding, ctx)}]" for finding in entry.applies_to] or [entry.rule]
        scopes: list[IConstruct] = (
            list(stacks) if entry.resource is None else ctx.registry.get(entry.resource, [])
        )
        for scope in scopes:
            for rule_id in ids:
                cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule_id, reason=entry.reason))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=False))
