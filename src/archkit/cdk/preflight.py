"""Checks that run before synthesis: a spec that validates but that CDK cannot build gets one clear
line per problem (spec path + what to do) instead of a jsii stack trace. Pure Python, no CDK import."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.cdk.errors import CdkBuildError, CdkBuildErrors
from archkit.cdk.layout import api_bound_functions, data_buckets, edge_buckets, flow_logs_bucket
from archkit.cdk.limits import RETENTION_DAYS
from archkit.cdk.regions import AZ_LETTERS, prefix_list_id
from archkit.spec.naming import MAX_NAME_LENGTH, physical_name

if TYPE_CHECKING:
    from archkit.spec import ArchSpec

_PYTHON = re.compile(r"^python")


def check_buildable(spec: ArchSpec, spec_dir: Path) -> None:
    """Raise :class:`CdkBuildErrors` listing every reason ``spec`` cannot be synthesized."""
    errors: list[CdkBuildError] = []
    _check_zones(spec, errors)
    _check_code(spec, spec_dir, errors)
    _check_network(spec, errors)
    _check_functions(spec, errors)
    _check_placement(spec, errors)
    _check_edge(spec, errors)
    if errors:
        raise CdkBuildErrors(errors)


def _check_zones(spec: ArchSpec, errors: list[CdkBuildError]) -> None:
    known = AZ_LETTERS.get(spec.region)
    if known is None:
        return  # a region archkit has no table for: AWS checks the zones at deploy time
    letters, usable = known
    for i, az in enumerate(spec.availability_zones):
        letter = az[len(spec.region) :]
        if letter not in letters:
            names = ", ".join(spec.region + x for x in letters)
            errors.append(
                CdkBuildError(
                    f"availability_zones.{i}", f"{az} does not exist (zones of {spec.region}: {names})"
                )
            )
    if len(spec.availability_zones) > usable:
        errors.append(
            CdkBuildError(
                "availability_zones",
                f"{len(spec.availability_zones)} availability zones listed but an account can use at most "
                f"{usable} in {spec.region}; list at most {usable}",
            )
        )


def _module_file(code: Path, handler: str) -> Path | None:
    module = handler.rsplit(".", 1)[0]
    base = code.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _check_code(spec: ArchSpec, spec_dir: Path, errors: list[CdkBuildError]) -> None:
    for key, layer in spec.layers.items():
        path = (spec_dir / layer.code).resolve()
        if not path.is_dir():
            errors.append(CdkBuildError(f"layers.{key}.code", f"code directory {path} does not exist"))
        elif any(_PYTHON.match(r) for r in layer.compatible_runtimes) and not (path / "python").is_dir():
            errors.append(
                CdkBuildError(
                    f"layers.{key}.code", f"a Python layer keeps its modules under {path / 'python'}/"
                )
            )
    for key, fn in spec.functions.items():
        path = (spec_dir / fn.code).resolve()
        if not path.is_dir():
            siblings = [p.name for p in path.parent.iterdir() if p.is_dir()] if path.parent.is_dir() else []
            errors.append(
                CdkBuildError(
                    f"functions.{key}.code",
                    f"code directory {path} does not exist" + _did_you_mean(path.name, siblings),
                )
            )
        elif _PYTHON.match(fn.runtime) and _module_file(path, fn.handler) is None:
            module = fn.handler.rsplit(".", 1)[0].replace(".", "/")
            modules = [p.relative_to(path).with_suffix("").as_posix() for p in path.rglob("*.py")]
            errors.append(
                CdkBuildError(
                    f"functions.{key}.handler",
                    f"handler module {module}.py not found under {path}" + _did_you_mean(module, modules),
                )
            )


def _did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _check_network(spec: ArchSpec, errors: list[CdkBuildError]) -> None:
    net = spec.network
    for key, sg in net.security_groups.items():
        for direction in ("ingress", "egress"):
            for i, rule in enumerate(getattr(sg, direction)):
                if rule.prefix_list and prefix_list_id(spec.region, rule.prefix_list) is None:
                    errors.append(
                        CdkBuildError(
                            f"network.security_groups.{key}.{direction}.{i}.prefix_list",
                            f"the managed prefix list of {rule.prefix_list} in {spec.region} is unknown to "
                            "archkit; use a cidr rule instead",
                        )
                    )
    if net.alb.enabled and len(physical_name(spec, "alb")) > 32:
        errors.append(
            CdkBuildError(
                "network.alb", f"load balancer name '{physical_name(spec, 'alb')}' exceeds 32 characters"
            )
        )
    if net.alb.enabled and len({s.az for s in net.public_subnets if net.alb.internet_facing}) == 1:
        errors.append(
            CdkBuildError(
                "network.alb", "an application load balancer needs subnets in two availability zones"
            )
        )
    if net.flow_logs.enabled and net.flow_logs.destination == "s3" and flow_logs_bucket(spec) is None:
        errors.append(
            CdkBuildError(
                "network.flow_logs.destination",
                "s3 flow logs need a bucket named `logs` (or an access-log bucket)",
            )
        )
    for key in spec.security.roles:
        name = physical_name(spec, key)
        if len(name) > MAX_NAME_LENGTH["role"]:
            errors.append(CdkBuildError(f"security.roles.{key}", f"role name '{name}' exceeds 64 characters"))


def _check_retention(path: str, days: int, errors: list[CdkBuildError]) -> None:
    if days not in RETENTION_DAYS:
        near = min(RETENTION_DAYS, key=lambda d: abs(d - days))
        errors.append(
            CdkBuildError(path, f"CloudWatch Logs has no {days}-day retention; the nearest is {near}")
        )


def _check_functions(spec: ArchSpec, errors: list[CdkBuildError]) -> None:
    bound = api_bound_functions(spec)
    _check_retention("api.logging.retention_days", spec.api.logging.retention_days, errors)
    if spec.network.flow_logs.destination == "cloudwatch":
        _check_retention("network.flow_logs.retention_days", spec.network.flow_logs.retention_days, errors)
    for key, fn in spec.functions.items():
        _check_retention(f"functions.{key}.log_retention_days", fn.log_retention_days, errors)
        if fn.vpc and not fn.security_groups:
            errors.append(
                CdkBuildError(
                    f"functions.{key}.security_groups",
                    "a function in the VPC needs at least one security group (archkit never creates an "
                    "implicit allow-all group)",
                )
            )
        for var, value in fn.environment.items():
            if "${api.url}" in value and key in bound:
                errors.append(
                    CdkBuildError(
                        f"functions.{key}.environment.{var}",
                        "${api.url} in a function the API invokes would make a dependency cycle; "
                        "use https://${domain_name}/... instead",
                    )
                )


def _check_placement(spec: ArchSpec, errors: list[CdkBuildError]) -> None:
    edge = set(edge_buckets(spec))
    regional = set(data_buckets(spec))
    for key, bucket in spec.buckets.items():
        target = bucket.access_logs_bucket
        if target in edge:
            errors.append(
                CdkBuildError(
                    f"buckets.{key}.access_logs_bucket",
                    f"buckets.{target} is read by CloudFront (edge stack); send access logs elsewhere",
                )
            )
    cdn_logs = spec.edge.cdn.logs_bucket
    if spec.edge.cdn.enabled and cdn_logs is not None and cdn_logs not in regional:
        errors.append(CdkBuildError("edge.cdn.logs_bucket", "CloudFront cannot log into a bucket it serves"))
    if (
        spec.edge.cdn.enabled
        and cdn_logs is not None
        and spec.buckets[cdn_logs].object_ownership == "BucketOwnerEnforced"
    ):
        errors.append(
            CdkBuildError(
                f"buckets.{cdn_logs}.object_ownership",
                "CloudFront standard logs are written with ACLs; use ObjectWriter or BucketOwnerPreferred",
            )
        )


def _check_edge(spec: ArchSpec, errors: list[CdkBuildError]) -> None:
    dns = spec.edge.dns
    if dns.enabled and not dns.create_zone and spec.account is None:
        errors.append(
            CdkBuildError("edge.dns.create_zone", "looking up an existing zone needs `account` in the spec")
        )
