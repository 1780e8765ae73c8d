"""Assemble the archkit constructs into stacks (see :mod:`archkit.cdk.layout`) and build the CDK app.

Also the entry point of the generated ``cdk.json``: ``python -m archkit.cdk.app --spec <file>``.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam

from archkit.cdk.api import ApiConstruct
from archkit.cdk.compute import ComputeConstruct, ExecutionRolesConstruct
from archkit.cdk.context import BuildContext
from archkit.cdk.cost import CostConstruct
from archkit.cdk.data import DatabaseConstruct, DataConstruct
from archkit.cdk.edge import EdgeConstruct, EdgeGlobalConstruct
from archkit.cdk.events import EventsConstruct
from archkit.cdk.layout import (
    alb_needs_zone,
    data_buckets,
    edge_buckets,
    layout,
    replica_keys,
    zone_needed_first,
)
from archkit.cdk.load_balancer import LoadBalancerConstruct
from archkit.cdk.nag import apply_nag
from archkit.cdk.network import NetworkConstruct
from archkit.cdk.preflight import check_buildable
from archkit.cdk.regions import EDGE_REGION
from archkit.cdk.security import ReplicaKeysConstruct, SecretsConstruct, SecurityConstruct
from archkit.spec import ArchSpec
from archkit.spec.naming import cost_tags
from archkit.spec.wiring import vpc_link_security_group

FIXED_CONTEXT: dict[str, object] = {
    # Same templates whether `archkit generate` or the cdk CLI runs the app (the CLI passes its own
    # defaults for these): construct paths and asset paths in metadata, no version-reporting resource.
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": False,
    "aws:cdk:disable-stack-trace": True,
    "aws:cdk:bundling-stacks": ["**"],
    # Exports between our stacks stay strong references (CDK's default), stated so synth does not warn.
    "@aws-cdk/core:defaultCrossStackReferences": "strong",
}


@dataclass
class BuiltApp:
    """The app plus what archkit needs to report on it."""

    app: cdk.App
    ctx: BuildContext
    stacks: list[cdk.Stack] = field(default_factory=list)


def build(
    spec: ArchSpec,
    *,
    spec_dir: str | os.PathLike[str] | None = None,
    outdir: str | os.PathLike[str] | None = None,
    nag: bool = True,
) -> BuiltApp:
    """Build (without synthesizing) the CDK app for ``spec``; code paths are relative to ``spec_dir``.

    Raises :class:`archkit.cdk.errors.CdkBuildErrors` before touching CDK if the spec cannot be built.
    """
    base_dir = Path(spec_dir) if spec_dir is not None else Path.cwd()
    check_buildable(spec, base_dir)
    app = cdk.App(
        outdir=str(outdir) if outdir is not None else None,
        analytics_reporting=False,
        stack_traces=False,
        post_cli_context=FIXED_CONTEXT,
    )
    # Names with {account} take the deploying account (a token) unless the spec names its account.
    ctx = BuildContext(spec=spec.for_account(cdk.Aws.ACCOUNT_ID), spec_dir=base_dir.resolve())
    built = BuiltApp(app=app, ctx=ctx)
    _assemble(built)
    for key, value in cost_tags(spec).items():
        cdk.Tags.of(app).add(key, value)
    if nag:
        apply_nag(app, built.stacks, ctx)
    return built


def build_app(
    spec: ArchSpec,
    *,
    spec_dir: str | os.PathLike[str] | None = None,
    outdir: str | os.PathLike[str] | None = None,
    nag: bool = True,
) -> cdk.App:
    """The CDK app for ``spec``: network, data, application, edge and cost stacks with cdk-nag checks."""
    return build(spec, spec_dir=spec_dir, outdir=outdir, nag=nag).app


def _stack(built: BuiltApp, name: str, region: str, description: str, **kwargs: object) -> cdk.Stack:
    spec = built.ctx.spec
    stack = cdk.Stack(
        built.app,
        name,
        stack_name=name,
        env=cdk.Environment(account=spec.account, region=region),
        description=description,
        termination_protection=spec.environment == "prod",
        **kwargs,  # type: ignore[arg-type]
    )
    built.stacks.append(stack)
    return stack


def _assemble(built: BuiltApp) -> None:
    ctx = built.ctx
    spec = ctx.spec
    names = layout(spec)
    title = f"{spec.project} ({spec.environment})"
    cross_region = names.edge_global is not None and names.region != names.global_region

    network_stack: cdk.Stack | None = None
    network: NetworkConstruct | None = None
    if spec.network.enabled:
        network_stack = _stack(
            built, names.network, names.region, f"{title}: VPC, subnets, NAT, endpoints, security groups"
        )
        network = NetworkConstruct(network_stack, "Network", ctx=ctx)

    data_stack = _stack(built, names.data, names.region, f"{title}: KMS keys, roles, tables, buckets")
    security = SecurityConstruct(data_stack, "Security", ctx=ctx)
    for region, stack_name in names.replica_key_stacks.items():
        replica_stack = _stack(built, stack_name, region, f"{title}: KMS keys of the {region} table replicas")
        ReplicaKeysConstruct(replica_stack, "ReplicaKeys", ctx=ctx, keys=replica_keys(spec))
        data_stack.add_stack_dependency(replica_stack, "global table replicas are encrypted with these keys")
    data = DataConstruct(data_stack, "Data", ctx=ctx, keys=security.keys, bucket_keys=data_buckets(spec))
    bucket_kms = {
        key: security.keys[b.kms_key] if b.encryption == "kms" and b.kms_key else None
        for key, b in spec.buckets.items()
    }
    roles = ExecutionRolesConstruct(
        data_stack,
        "ExecutionRoles",
        ctx=ctx,
        tables=data.tables,
        table_keys=data.table_keys,
        bucket_keys=bucket_kms,
    )
    principals: dict[str, iam.IPrincipal] = {
        **{f"functions.{k}": iam.ArnPrincipal(r.role_arn) for k, r in roles.roles.items()},
        **{f"roles.{k}": iam.ArnPrincipal(r.role_arn) for k, r in security.roles.items()},
    }
    data.buckets.add_policies(principals)

    # The us-east-1 part of the edge (zone, CloudFront certificate, web ACL) comes first when it is a stack
    # of its own: the application stack may need the zone (the load balancer's certificate and record).
    global_stack: cdk.Stack | None = None
    if names.edge_global is not None:
        global_stack = _stack(
            built,
            names.edge_global,
            names.global_region,
            f"{title}: hosted zone, certificate, CloudFront web ACL",
            cross_region_references=cross_region or None,
        )
    edge_global = EdgeGlobalConstruct(global_stack, "EdgeGlobal", ctx=ctx) if global_stack else None

    app_stack = _stack(
        built,
        names.application,
        names.region,
        f"{title}: layers, functions, secrets, API Gateway",
        cross_region_references=cross_region or None,
    )
    app_stack.add_stack_dependency(data_stack, "functions use the data stores and execution roles")
    if network_stack is not None:
        app_stack.add_stack_dependency(network_stack, "functions run in the private subnets")
    if zone_needed_first(spec):
        assert global_stack is not None and edge_global is not None
        app_stack.add_stack_dependency(global_stack, "certificates validated in the hosted zone")
    secrets = SecretsConstruct(app_stack, "Secrets", ctx=ctx, keys=security.keys)
    in_vpc = network is not None and bool(network.private_subnets)
    database = None
    if spec.rds.enabled:
        assert network is not None, "required by the spec validation"
        database = DatabaseConstruct(
            app_stack,
            "Database",
            ctx=ctx,
            vpc=network.vpc,
            subnets=network.subnet_selection("private"),
            security_groups=network.security_groups,
            keys=security.keys,
            secrets=secrets.secrets,
        )
    compute = ComputeConstruct(
        app_stack,
        "Compute",
        ctx=ctx,
        roles=roles.roles,
        vpc=network.vpc if network is not None and in_vpc else None,
        subnets=network.subnet_selection("private") if network is not None and in_vpc else None,
        security_groups=network.security_groups if network is not None else {},
        tables=data.tables,
        table_keys=data.table_keys,
        stream_queues=data.stream_queues,
        secrets=secrets.secrets,
        database=database,
    )
    if (
        spec.queues
        or spec.topics
        or spec.schedules
        or spec.event_rules
        or any(fn.triggers or fn.async_invoke or fn.provisioned_concurrency for fn in spec.functions.values())
        or any(b.notifications for b in spec.buckets.values())
    ):
        EventsConstruct(app_stack, "Events", ctx=ctx, keys=security.keys, functions=compute.functions)
    load_balancer = None
    if spec.network.alb.enabled:
        assert network is not None, "required by the spec validation"
        load_balancer = _load_balancer(app_stack, ctx, network, data, compute, edge_global)
    api = None
    if spec.api.routes:
        groups = network.security_groups if network is not None else {}
        link_sg = groups.get(vpc_link_security_group(spec) or "")
        api = ApiConstruct(
            app_stack,
            "Api",
            ctx=ctx,
            functions=compute.functions,
            vpc_link_subnets=list(network.private_subnets) if network is not None else [],
            vpc_link_security_groups=[link_sg] if link_sg is not None else [],
            load_balancer=load_balancer,
            zone=edge_global.zone if edge_global is not None else None,
        )
        compute.bind_api_url(api.url)

    if names.edge is not None:
        edge_stack = _stack(
            built,
            names.edge,
            names.edge_region,
            f"{title}: CloudFront, WAF, Route 53, static assets",
            cross_region_references=cross_region or None,
        )
        edge_stack.add_stack_dependency(app_stack, "CloudFront routes the API path to API Gateway")
        edge_stack.add_stack_dependency(data_stack, "bucket policies name the execution roles")
        if global_stack is not None:
            edge_stack.add_stack_dependency(
                global_stack, "CloudFront uses the us-east-1 certificate and web ACL"
            )
        else:
            edge_global = EdgeGlobalConstruct(edge_stack, "EdgeGlobal", ctx=ctx)
        assert edge_global is not None
        EdgeConstruct(
            edge_stack,
            "Edge",
            ctx=ctx,
            global_=edge_global,
            api=api,
            keys=security.keys,
            bucket_keys=edge_buckets(spec),
            principals=principals,
        )

    if spec.cost.budgets or spec.cost.anomaly_detection.enabled:
        cost_stack = _stack(built, names.cost, EDGE_REGION, f"{title}: budgets and cost anomaly detection")
        CostConstruct(cost_stack, "Cost", ctx=ctx)


def _load_balancer(
    scope: cdk.Stack,
    ctx: BuildContext,
    network: NetworkConstruct,
    data: DataConstruct,
    compute: ComputeConstruct,
    edge_global: EdgeGlobalConstruct | None,
) -> LoadBalancerConstruct:
    from archkit.cdk.layout import flow_logs_bucket

    alb_spec = ctx.spec.network.alb
    assert alb_spec.security_group is not None, "required by the spec validation"
    logs_key = flow_logs_bucket(ctx.spec)
    return LoadBalancerConstruct(
        scope,
        "LoadBalancer",
        ctx=ctx,
        vpc=network.vpc,
        subnets=network.subnet_selection("public" if alb_spec.internet_facing else "private"),
        security_group=network.security_groups[alb_spec.security_group],
        functions=compute.functions,
        logs_bucket=data.buckets.buckets.get(logs_key) if logs_key is not None else None,
        zone=edge_global.zone if edge_global is not None and alb_needs_zone(ctx.spec) else None,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m archkit.cdk.app --spec FILE [--env NAME]``: the app command of the generated cdk.json."""
    from archkit.cdk.errors import CdkBuildErrors
    from archkit.spec import SpecError, load_spec

    parser = argparse.ArgumentParser(prog="python -m archkit.cdk.app", description=main.__doc__)
    parser.add_argument("--spec", required=True, help="Spec file (YAML or JSON).")
    parser.add_argument("--env", default=None, help="Environment to resolve.")
    args = parser.parse_args(argv)
    try:
        spec = load_spec(args.spec, args.env)
        build_app(spec, spec_dir=Path(args.spec).resolve().parent).synth()
    except SpecError as exc:
        print(f"error: the spec has problems:\n{exc}", file=sys.stderr)
        return 2
    except CdkBuildErrors as exc:
        print(f"error: the spec cannot be built:\n{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
