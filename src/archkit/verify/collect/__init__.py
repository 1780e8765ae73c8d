"""Read the account once: every service collector in parallel (bounded), one state per found resource.

A service that cannot be read (AccessDenied, unsupported, endpoint errors) marks its resources
`not_checked`; the rest of the account is still read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from archkit.spec import ArchSpec
from archkit.spec.naming import ID_TAG
from archkit.verify.collect import (
    apigateway,
    cost,
    dynamodb,
    ec2,
    edge,
    elbv2,
    lambda_,
    rds,
    s3,
    security,
    tagging,
)
from archkit.verify.collect.aws import Aws
from archkit.verify.collect.base import Candidate, Context, NotChecked, classify
from archkit.verify.resolve import resolve_references
from archkit.verify.state import ResourceState

Collector = Callable[[Context], None]

SERVICES: tuple[tuple[str, tuple[str, ...], Collector], ...] = (
    ("ec2", ec2.TYPES, ec2.collect),
    ("kms", ("AWS::KMS::Key",), security.collect_kms),
    ("iam", ("AWS::IAM::Role",), security.collect_roles),
    ("secretsmanager", ("AWS::SecretsManager::Secret",), security.collect_secrets),
    ("lambda-layers", ("AWS::Lambda::LayerVersion",), lambda_.collect_layers),
    ("lambda", ("AWS::Lambda::Function",), lambda_.collect_functions),
    ("dynamodb", ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"), dynamodb.collect),
    ("s3", ("AWS::S3::Bucket",), s3.collect),
    (
        "apigateway",
        (
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Authorizer",
            "AWS::ApiGateway::ApiKey",
            "AWS::ApiGateway::UsagePlan",
        ),
        apigateway.collect,
    ),
    ("apigatewayv2", ("AWS::ApiGatewayV2::VpcLink",), apigateway.collect_vpc_links),
    ("elbv2", elbv2.TYPES, elbv2.collect),
    ("rds", rds.TYPES, rds.collect),
    ("cloudfront", ("AWS::CloudFront::Distribution",), edge.collect_cloudfront),
    ("wafv2", ("AWS::WAFv2::WebACL",), edge.collect_waf),
    ("route53", ("AWS::Route53::HostedZone",), edge.collect_route53),
    ("budgets", ("AWS::Budgets::Budget",), cost.collect_budgets),
    ("ce", ("AWS::CE::AnomalyMonitor",), cost.collect_anomaly_monitor),
)
"""(name, CloudFormation types it reads, collector)."""

UNMANAGED_CHECK = "(unmanaged resources)"


class AccountUnreachable(Exception):
    """Nothing can be read: no credentials, or the endpoint does not answer."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Collected:
    states: list[ResourceState]
    not_checked: list[NotChecked]
    unmanaged: list[Candidate]
    account: str
    calls: dict[str, int] = field(default_factory=dict)


def _unmanaged(spec: ArchSpec, ctx: Context, desired: Sequence[ResourceState]) -> list[Candidate]:
    known: set[str] = {s.physical_id for s in desired}
    for s in ctx.states:
        known.update(i for i in (s.physical_id, s.arn, *s.ids) if i)
    seen: set[str] = set()
    out: list[Candidate] = []
    for c in ctx.candidates:
        pid = c.physical_id
        if c.tags.get("Project") != spec.project or c.tags.get("Environment") != spec.environment:
            continue
        if pid in seen or {pid, pid.rsplit("/", 1)[-1], pid.rsplit(":", 1)[-1]} & known:
            continue
        if "aws:cloudformation:stack-name" in c.tags and ID_TAG not in c.tags:
            continue  # a helper the deployment tool created (custom resource function, log bucket...)
        seen.add(pid)
        out.append(c)
    return sorted(out, key=lambda c: (c.resource_type, c.physical_id))


def collect(
    spec: ArchSpec,
    aws: Aws,
    desired: Sequence[ResourceState],
    progress: Callable[[str], None] | None = None,
) -> Collected:
    """Read every desired resource (and the system's tagged extras) from the account."""
    try:
        account = aws.caller_account()
    except Exception as exc:
        reason, message = classify(exc)
        raise AccountUnreachable(reason, message) from exc

    with ThreadPoolExecutor(max_workers=aws.options.max_workers, thread_name_prefix="archkit-read") as pool:
        ctx = Context(
            spec=spec, aws=aws, desired=desired, pool=pool, regions=aws.options.regions, progress=progress
        )

        def run(types: tuple[str, ...], fn: Collector) -> None:
            try:
                fn(ctx)
            except Exception as exc:  # the whole service is unreadable: its resources are not_checked
                done = {s.path for s in ctx.states} | {n.path for n in ctx.not_checked}
                for want in ctx.wanted(*types):
                    if want.path not in done:
                        ctx.fail(want, exc)

        def run_tagging() -> None:
            try:
                tagging.collect(ctx)
            except Exception as exc:
                reason, message = classify(exc)
                ctx.not_checked.append(NotChecked(UNMANAGED_CHECK, "*", None, reason, message))

        with ThreadPoolExecutor(
            max_workers=len(SERVICES) + 1, thread_name_prefix="archkit-service"
        ) as services:
            futures = [services.submit(run, types, fn) for _, types, fn in SERVICES]
            futures.append(services.submit(run_tagging))
            for f in futures:
                f.result()

    states = resolve_references(sorted(ctx.states, key=lambda s: s.path))
    return Collected(
        states=states,
        not_checked=sorted(ctx.not_checked, key=lambda n: (n.path, n.attribute or "")),
        unmanaged=_unmanaged(spec, ctx, desired),
        account=account,
        calls=dict(sorted(aws.calls.items())),
    )
