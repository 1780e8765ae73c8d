"""Cross-reference validation: every name a spec uses must be declared, and the pieces must fit together."""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from archkit.spec.consistency import check_consistency
from archkit.spec.names import check_names
from archkit.spec.network import GATEWAY_CAPABLE
from archkit.spec.placeholders import PLACEHOLDER, placeholder_targets
from archkit.spec.waf import rule_names
from archkit.spec.wiring import alb_route, api_path_sample

if TYPE_CHECKING:
    from archkit.spec.data import KeySpec
    from archkit.spec.edge import WafSpec
    from archkit.spec.system import ArchSpec

Loc = tuple[str | int, ...]
Issues = list[tuple[Loc, str]]

_ENV_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_SEGMENT = re.compile(r"^(\{[A-Za-z_][A-Za-z0-9_]*\+?\}|[A-Za-z0-9._\-]+)$")
_MIN_SUBNET_PREFIX, _MAX_SUBNET_PREFIX = 16, 28
_ALB_PATH = re.compile(r"^/[A-Za-z0-9_\-.$/~\"'@:+&*?]{0,127}$")


def _unknown(kind: str, name: str, choices: Iterable[str]) -> str:
    choices = sorted(choices)
    msg = f"unknown {kind} '{name}'"
    close = difflib.get_close_matches(name, choices, n=1)
    if close:
        msg += f"; did you mean '{close[0]}'?"
    elif choices:
        msg += f" (declared: {', '.join(choices[:12])})"
    else:
        msg += f" (no {kind} is declared)"
    return msg


def _prefix_declared(prefix: str, declared: list[str]) -> bool:
    return prefix == "" or any(prefix == d or prefix.startswith(d) for d in declared)


def check_references(spec: ArchSpec) -> Issues:
    """All cross-reference problems of a spec, each with its spec location."""
    issues: Issues = []
    _check_environment(spec, issues)
    _check_network(spec, issues)
    _check_functions(spec, issues)
    _check_tables(spec, issues)
    _check_buckets(spec, issues)
    _check_events(spec, issues)
    _check_security(spec, issues)
    _check_api(spec, issues)
    _check_edge(spec, issues)
    _check_governance(spec, issues)
    issues.extend(check_names(spec))
    issues.extend(check_consistency(spec))
    return issues


def _check_environment(spec: ArchSpec, issues: Issues) -> None:
    if spec.environments and spec.environment not in spec.environments:
        issues.append((("environment",), _unknown("environment", spec.environment, spec.environments)))
    seen: set[str] = set()
    for i, az in enumerate(spec.availability_zones):
        if not az.startswith(spec.region) or not re.fullmatch(r"[a-z]", az[len(spec.region) :]):
            issues.append(
                (("availability_zones", i), f"'{az}' is not an availability zone of region {spec.region}")
            )
        if az in seen:
            issues.append((("availability_zones", i), f"availability zone '{az}' is listed twice"))
        seen.add(az)


def _check_network(spec: ArchSpec, issues: Issues) -> None:
    net = spec.network
    if not net.enabled:
        declared = [
            name
            for name, used in (
                ("public_subnets", net.public_subnets),
                ("private_subnets", net.private_subnets),
                ("endpoints", net.endpoints),
                ("security_groups", net.security_groups),
                ("alb", net.alb.enabled),
                ("bastion", net.bastion.enabled),
            )
            if used
        ]
        for name in declared:
            issues.append((("network", name), "network.enabled is false: no VPC to place this in"))
        if spec.rds.enabled:
            issues.append((("rds", "enabled"), "the database runs in the VPC; network.enabled is false"))
        return
    vpc = ipaddress.ip_network(net.vpc_cidr)
    if not 16 <= vpc.prefixlen <= 28:
        issues.append(
            (("network", "vpc_cidr"), f"VPC CIDR must be between /16 and /28, got /{vpc.prefixlen}")
        )
    placed: list[tuple[Loc, ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
    for tier in ("public_subnets", "private_subnets"):
        azs_seen: set[str] = set()
        for i, subnet in enumerate(getattr(net, tier)):
            loc: Loc = ("network", tier, i)
            if subnet.az not in spec.availability_zones:
                issues.append(
                    ((*loc, "az"), _unknown("availability zone", subnet.az, spec.availability_zones))
                )
            if subnet.az in azs_seen:
                issues.append(((*loc, "az"), f"a second {tier[:-1].replace('_', ' ')} in {subnet.az}"))
            azs_seen.add(subnet.az)
            cidr = ipaddress.ip_network(subnet.cidr)
            if not _MIN_SUBNET_PREFIX <= cidr.prefixlen <= _MAX_SUBNET_PREFIX:
                issues.append(
                    ((*loc, "cidr"), f"subnet CIDR must be between /16 and /28, got /{cidr.prefixlen}")
                )
            if not cidr.subnet_of(vpc):  # type: ignore[arg-type]
                issues.append(((*loc, "cidr"), f"{subnet.cidr} is outside the VPC CIDR {net.vpc_cidr}"))
            for other_loc, other in placed:
                if cidr.overlaps(other):
                    where = ".".join(map(str, other_loc))
                    issues.append(((*loc, "cidr"), f"{subnet.cidr} overlaps {other} of {where}"))
            placed.append((loc, cidr))
    if net.nat_gateways > len(net.public_subnets):
        issues.append(
            (
                ("network", "nat_gateways"),
                f"{net.nat_gateways} NAT gateways need as many public subnets "
                f"(declared: {len(net.public_subnets)})",
            )
        )
    services: set[str] = set()
    for i, ep in enumerate(net.endpoints):
        if ep.type == "gateway" and ep.service not in GATEWAY_CAPABLE:
            issues.append(
                (("network", "endpoints", i, "type"), f"{ep.service} has no gateway endpoint; use interface")
            )
        if ep.service in services:
            issues.append((("network", "endpoints", i, "service"), f"a second endpoint for {ep.service}"))
        services.add(ep.service)
    groups = net.security_groups
    for key, sg in groups.items():
        for direction in ("ingress", "egress"):
            for i, rule in enumerate(getattr(sg, direction)):
                loc = ("network", "security_groups", key, direction, i)
                peers = [p for p in (rule.cidr, rule.security_group, rule.prefix_list) if p is not None]
                if len(peers) != 1:
                    issues.append((loc, "give exactly one peer: cidr, security_group or prefix_list"))
                if rule.security_group is not None and rule.security_group not in groups:
                    issues.append(
                        ((*loc, "security_group"), _unknown("security group", rule.security_group, groups))
                    )
    for part in ("alb", "bastion"):
        sg_key = getattr(net, part).security_group
        if sg_key is not None and sg_key not in groups:
            issues.append((("network", part, "security_group"), _unknown("security group", sg_key, groups)))
        elif sg_key is None and getattr(net, part).enabled:
            issues.append(
                (
                    ("network", part, "security_group"),
                    f"the {part} needs a security group (a key of network.security_groups)",
                )
            )
    _check_alb(spec, issues)
    _check_bastion(spec, issues)
    if spec.rds.enabled:
        if spec.rds.security_group is None:
            issues.append(
                (
                    ("rds", "security_group"),
                    "the database needs a security group (a key of network.security_groups)",
                )
            )
        if len(net.private_subnets) < 2:
            issues.append(
                (("rds", "enabled"), "RDS needs private subnets in at least two availability zones")
            )
        if spec.rds.security_group is not None and spec.rds.security_group not in groups:
            issues.append(
                (("rds", "security_group"), _unknown("security group", spec.rds.security_group, groups))
            )
        if spec.rds.credentials_secret is not None and spec.rds.credentials_secret not in spec.secrets:
            issues.append(
                (("rds", "credentials_secret"), _unknown("secret", spec.rds.credentials_secret, spec.secrets))
            )
        if spec.rds.kms_key is not None and spec.rds.kms_key not in spec.security.kms_keys:
            issues.append((("rds", "kms_key"), _unknown("KMS key", spec.rds.kms_key, spec.security.kms_keys)))


SESSION_MANAGER_ENDPOINTS = ("ssm", "ssmmessages", "ec2messages")
"""Interface endpoints the SSM agent needs when it has no route to the internet."""


def _check_bastion(spec: ArchSpec, issues: Issues) -> None:
    net, bastion = spec.network, spec.network.bastion
    if not bastion.enabled:
        return
    loc: Loc = ("network", "bastion")
    if not getattr(net, f"{bastion.subnet}_subnets"):
        issues.append(
            (
                (*loc, "subnet"),
                f"a bastion in a {bastion.subnet} subnet needs network.{bastion.subnet}_subnets",
            )
        )
    if bastion.subnet == "private" and bastion.public_ip:
        issues.append(
            ((*loc, "public_ip"), "a host in a private subnet cannot use a public address: remove public_ip")
        )
    endpoints = {ep.service for ep in net.endpoints if ep.type == "interface"}
    if (
        bastion.subnet == "private"
        and net.nat_gateways == 0
        and not endpoints >= set(SESSION_MANAGER_ENDPOINTS)
    ):
        issues.append(
            (
                (*loc, "subnet"),
                "the SSM agent of a bastion in a private subnet needs NAT gateways or the endpoints "
                + ", ".join(SESSION_MANAGER_ENDPOINTS),
            )
        )


def _check_alb(spec: ArchSpec, issues: Issues) -> None:
    alb = spec.network.alb
    loc: Loc = ("network", "alb")
    if not alb.enabled:
        if alb.targets:
            issues.append(((*loc, "targets"), "targets need network.alb.enabled"))
        return
    tier = "public_subnets" if alb.internet_facing else "private_subnets"
    if len({s.az for s in getattr(spec.network, tier)}) < 2:
        where = "internet-facing" if alb.internet_facing else "internal"
        issues.append(
            ((*loc, "enabled"), f"an {where} load balancer needs {tier.replace('_', ' ')} in two zones")
        )
    listener = alb.listener
    if listener.protocol == "HTTP" and alb.internet_facing:
        issues.append(
            (
                (*loc, "listener", "protocol"),
                "an internet-facing load balancer listens on HTTPS; plain HTTP is for an internal one "
                "(internet_facing: false) behind the VPC link",
            )
        )
    if listener.protocol == "HTTPS" and listener.certificate_arn is None and not spec.edge.dns.enabled:
        issues.append(
            (
                (*loc, "listener"),
                "an HTTPS listener needs edge.dns.enabled (its certificate is validated in the hosted zone) "
                "or a certificate_arn",
            )
        )
    seen: dict[str, str] = {}
    for fname, target in alb.targets.items():
        tloc = (*loc, "targets", fname)
        if fname not in spec.functions:
            issues.append((tloc, _unknown("function", fname, spec.functions)))
        for i, pattern in enumerate(target.paths):
            if not _ALB_PATH.match(pattern):
                issues.append(
                    (
                        (*tloc, "paths", i),
                        f"'{pattern}' is not a load balancer path pattern: it starts with '/', has at most "
                        "128 characters of A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & * ?",
                    )
                )
            if pattern in seen:
                issues.append(
                    ((*tloc, "paths", i), f"path '{pattern}' is already routed to '{seen[pattern]}'")
                )
            seen.setdefault(pattern, fname)


def _check_functions(spec: ArchSpec, issues: Issues) -> None:
    placeholders = placeholder_targets(spec)
    groups = spec.network.security_groups
    for fname, fn in spec.functions.items():
        loc: Loc = ("functions", fname)
        for i, layer in enumerate(fn.layers):
            if layer not in spec.layers:
                issues.append(((*loc, "layers", i), _unknown("layer", layer, spec.layers)))
            else:
                lspec = spec.layers[layer]
                if (
                    fn.runtime not in lspec.compatible_runtimes
                    or fn.architecture not in lspec.compatible_architectures
                ):
                    issues.append(
                        (
                            (*loc, "layers", i),
                            f"layer '{layer}' does not support {fn.runtime} on {fn.architecture}",
                        )
                    )
        for i, secret in enumerate(fn.secrets):
            if secret not in spec.secrets:
                issues.append(((*loc, "secrets", i), _unknown("secret", secret, spec.secrets)))
        for i, sg in enumerate(fn.security_groups):
            if sg not in groups:
                issues.append(((*loc, "security_groups", i), _unknown("security group", sg, groups)))
        if fn.vpc and not spec.network.private_subnets:
            issues.append(
                ((*loc, "vpc"), "the function is placed in the VPC but no private subnet is declared")
            )
        for var, value in fn.environment.items():
            if not _ENV_VAR.match(var):
                issues.append(
                    ((*loc, "environment", var), f"'{var}' is not a valid environment variable name")
                )
            for ref in PLACEHOLDER.findall(value):
                if ref not in placeholders:
                    issues.append(
                        (
                            (*loc, "environment", var),
                            _unknown("placeholder", "${" + ref + "}", {"${" + p + "}" for p in placeholders}),
                        )
                    )
        if fn.database:
            if not spec.rds.enabled:
                issues.append(((*loc, "database"), "database: true needs rds.enabled"))
            elif not fn.vpc or not fn.security_groups:
                issues.append(
                    (
                        (*loc, "database"),
                        "a function using the database runs in the VPC (vpc: true) with a security group",
                    )
                )
        for target, grant in fn.grants.items():
            gloc = (*loc, "grants", target)
            kind, _, key = target.partition(".")
            pools: dict[str, Mapping[str, object]] = {
                "tables": spec.tables,
                "buckets": spec.buckets,
                "secrets": spec.secrets,
            }
            pool = pools.get(kind)
            if pool is None:
                issues.append(
                    (gloc, f"grant target '{target}' must be tables.<name>, buckets.<name> or secrets.<name>")
                )
                continue
            if key not in pool:
                issues.append((gloc, _unknown(kind[:-1], key, pool)))
                continue
            if grant.prefixes and kind != "buckets":
                issues.append(((*gloc, "prefixes"), "prefixes only apply to bucket grants"))
            if kind == "buckets":
                declared = [p.path for p in spec.buckets[key].prefixes]
                for i, prefix in enumerate(grant.prefixes):
                    if not _prefix_declared(prefix, declared):
                        issues.append(
                            ((*gloc, "prefixes", i), _unknown(f"prefix of buckets.{key}", prefix, declared))
                        )


def _check_tables(spec: ArchSpec, issues: Issues) -> None:
    for tname, table in spec.tables.items():
        loc: Loc = ("tables", tname)
        types: dict[str, str] = dict(table.attributes)
        keys: list[tuple[Loc, KeySpec | None]] = [
            (("partition_key",), table.partition_key),
            (("sort_key",), table.sort_key),
        ]
        for iname, index in table.indexes.items():
            keys += [(("indexes", iname, "partition_key"), index.partition_key)]
            keys += [(("indexes", iname, "sort_key"), index.sort_key)]
            if index.projection != "include" and index.non_key_attributes:
                issues.append(
                    ((*loc, "indexes", iname, "non_key_attributes"), "only used with projection: include")
                )
            if table.billing == "on_demand" and (index.read_capacity or index.write_capacity):
                issues.append(((*loc, "indexes", iname), "capacity is only set with billing: provisioned"))
        for kloc, key in keys:
            if key is None:
                continue
            declared = types.setdefault(key.name, key.type)
            if declared != key.type:
                issues.append(
                    (
                        (*loc, *kloc),
                        f"attribute '{key.name}' is declared as {declared} elsewhere, here as {key.type}",
                    )
                )
        used = {key.name for _, key in keys if key is not None}
        for attr in table.attributes:
            if attr not in used:
                issues.append(
                    (
                        (*loc, "attributes", attr),
                        f"attribute '{attr}' is no key of the table or an index; list other item attributes "
                        "under item_attributes",
                    )
                )
        for attr, item_type in table.item_attributes.items():
            if attr in types and types[attr] != item_type:
                issues.append(
                    (
                        (*loc, "item_attributes", attr),
                        f"'{attr}' is a {types[attr]} key, here typed {item_type}",
                    )
                )
        if len(table.indexes) > 20:
            issues.append(((*loc, "indexes"), "DynamoDB allows at most 20 global secondary indexes"))
        if table.auto_scaling is not None:
            if table.billing != "provisioned":
                issues.append(((*loc, "auto_scaling"), "auto scaling needs billing: provisioned"))
            if table.auto_scaling.min_capacity > table.auto_scaling.max_capacity:
                issues.append(((*loc, "auto_scaling"), "min_capacity is above max_capacity"))
        if table.encryption == "customer_managed":
            if table.kms_key is None:
                issues.append(((*loc, "kms_key"), "encryption: customer_managed needs a kms_key"))
            elif table.kms_key not in spec.security.kms_keys:
                issues.append(((*loc, "kms_key"), _unknown("KMS key", table.kms_key, spec.security.kms_keys)))
        elif table.kms_key is not None:
            issues.append(((*loc, "kms_key"), "kms_key is only used with encryption: customer_managed"))
        if (
            table.stream is not None
            and table.stream.consumer is not None
            and table.stream.consumer not in spec.functions
        ):
            issues.append(
                ((*loc, "stream", "consumer"), _unknown("function", table.stream.consumer, spec.functions))
            )
        for i, region in enumerate(table.replicas):
            if region == spec.region:
                issues.append(((*loc, "replicas", i), f"{region} is the primary region, not a replica"))
            if table.replicas.index(region) != i:
                issues.append(((*loc, "replicas", i), f"replica region {region} is listed twice"))
        if table.replicas:
            if table.stream is None or table.stream.view != "new_and_old_images":
                issues.append(
                    ((*loc, "stream"), "global table replicas need stream: {view: new_and_old_images}")
                )
            if table.encryption == "aws_owned":
                issues.append(
                    ((*loc, "encryption"), "global tables are encrypted with a KMS key; use aws_managed")
                )


def _check_buckets(spec: ArchSpec, issues: Issues) -> None:
    roles = spec.security.roles
    for bname, bucket in spec.buckets.items():
        loc: Loc = ("buckets", bname)
        declared = [p.path for p in bucket.prefixes]
        for i, path in enumerate(declared):
            if declared.index(path) != i:
                issues.append(((*loc, "prefixes", i, "path"), f"prefix '{path}' is declared twice"))
        sids: set[str] = set()
        for i, pol in enumerate(bucket.policies):
            ploc = (*loc, "policies", i)
            if pol.sid in sids:
                issues.append(((*ploc, "sid"), f"statement id '{pol.sid}' is used twice"))
            sids.add(pol.sid)
            if not _prefix_declared(pol.prefix, declared):
                issues.append(((*ploc, "prefix"), _unknown("prefix", pol.prefix, declared)))
            kind, _, key = pol.principal.partition(".")
            if pol.principal == "cloudfront":
                if not spec.edge.cdn.enabled:
                    issues.append(((*ploc, "principal"), "principal cloudfront needs edge.cdn.enabled"))
            elif kind == "functions":
                if key not in spec.functions:
                    issues.append(((*ploc, "principal"), _unknown("function", key, spec.functions)))
            elif kind == "roles":
                if key not in roles:
                    issues.append(((*ploc, "principal"), _unknown("role", key, roles)))
            else:
                issues.append(
                    ((*ploc, "principal"), "principal must be cloudfront, functions.<name> or roles.<name>")
                )
        ids: set[str] = set()
        for i, rule in enumerate(bucket.lifecycle):
            if rule.id in ids:
                issues.append(((*loc, "lifecycle", i, "id"), f"lifecycle rule id '{rule.id}' is used twice"))
            ids.add(rule.id)
            if not _prefix_declared(rule.prefix, declared):
                issues.append(((*loc, "lifecycle", i, "prefix"), _unknown("prefix", rule.prefix, declared)))
            if (
                not rule.transitions
                and rule.expiration_days is None
                and rule.noncurrent_expiration_days is None
            ):
                issues.append(((*loc, "lifecycle", i), "the rule neither transitions nor expires anything"))
            days = [t.days for t in rule.transitions]
            if days != sorted(days):
                issues.append(
                    ((*loc, "lifecycle", i, "transitions"), "transitions must be in increasing days")
                )
            if rule.expiration_days is not None and days and rule.expiration_days <= max(days):
                issues.append(
                    ((*loc, "lifecycle", i, "expiration_days"), "expiry must come after the last transition")
                )
        tiering = bucket.intelligent_tiering
        if tiering.enabled and not _prefix_declared(tiering.prefix, declared):
            issues.append(
                ((*loc, "intelligent_tiering", "prefix"), _unknown("prefix", tiering.prefix, declared))
            )
        if bucket.encryption == "kms":
            if bucket.kms_key is None:
                issues.append(((*loc, "kms_key"), "encryption: kms needs a kms_key"))
            elif bucket.kms_key not in spec.security.kms_keys:
                issues.append(
                    ((*loc, "kms_key"), _unknown("KMS key", bucket.kms_key, spec.security.kms_keys))
                )
        elif bucket.kms_key is not None:
            issues.append(((*loc, "kms_key"), "kms_key is only used with encryption: kms"))
        if bucket.access_logs_bucket is not None:
            if bucket.access_logs_bucket == bname:
                issues.append(((*loc, "access_logs_bucket"), "a bucket cannot receive its own access logs"))
            elif bucket.access_logs_bucket not in spec.buckets:
                issues.append(
                    (
                        (*loc, "access_logs_bucket"),
                        _unknown("bucket", bucket.access_logs_bucket, spec.buckets),
                    )
                )


def _check_security(spec: ArchSpec, issues: Issues) -> None:
    for sname, secret in spec.secrets.items():
        loc: Loc = ("secrets", sname)
        if secret.kms_key is not None and secret.kms_key not in spec.security.kms_keys:
            issues.append(((*loc, "kms_key"), _unknown("KMS key", secret.kms_key, spec.security.kms_keys)))
        if secret.rotation is not None and secret.rotation.function not in spec.functions:
            issues.append(
                (
                    (*loc, "rotation", "function"),
                    _unknown("function", secret.rotation.function, spec.functions),
                )
            )


def _check_api(spec: ArchSpec, issues: Issues) -> None:
    api = spec.api
    for path, methods in api.routes.items():
        loc: Loc = ("api", "routes", path)
        segments = path.split("/")[1:]
        if (
            not path.startswith("/")
            or path.endswith("/")
            or not all(_PATH_SEGMENT.match(s) for s in segments)
        ):
            issues.append((loc, f"'{path}' is not a resource path like /api/users/{{id}}"))
        for verb, method in methods.items():
            mloc = (*loc, verb)
            if method.function is not None and method.function not in spec.functions:
                issues.append(((*mloc, "function"), _unknown("function", method.function, spec.functions)))
            if method.authorizer not in (None, "none") and method.authorizer not in api.authorizers:
                issues.append(
                    ((*mloc, "authorizer"), _unknown("authorizer", method.authorizer, api.authorizers))
                )
            if method.request_model is not None and method.request_model not in api.models:
                issues.append(((*mloc, "request_model"), _unknown("model", method.request_model, api.models)))
            for status, model in method.response_models.items():
                if model not in api.models:
                    issues.append(((*mloc, "response_models", status), _unknown("model", model, api.models)))
            if method.integration != "mapped" and (method.request_templates or method.response_templates):
                issues.append((mloc, "mapping templates need integration: mapped"))
            if method.integration == "vpc_link" and method.function is not None:
                _check_vpc_link_method(spec, path, method.function, (*mloc, "integration"), issues)
    if api.default_authorizer is not None and api.default_authorizer not in api.authorizers:
        issues.append(
            (("api", "default_authorizer"), _unknown("authorizer", api.default_authorizer, api.authorizers))
        )
    for aname, auth in api.authorizers.items():
        if auth.function not in spec.functions:
            issues.append(
                (
                    ("api", "authorizers", aname, "function"),
                    _unknown("function", auth.function, spec.functions),
                )
            )
    for pname, plan in api.usage_plans.items():
        for i, key in enumerate(plan.api_keys):
            if key not in api.api_keys:
                issues.append(
                    (("api", "usage_plans", pname, "api_keys", i), _unknown("API key", key, api.api_keys))
                )
    if api.vpc_link.enabled and not spec.network.alb.enabled:
        issues.append((("api", "vpc_link", "enabled"), "a VPC link needs network.alb.enabled"))
    _check_origin_verify(spec, issues)
    _check_api_domain(spec, issues)
    _check_waf(spec, ("api", "waf"), api.waf, issues)
    link_sg = api.vpc_link.security_group
    groups = spec.network.security_groups
    if link_sg is not None and link_sg not in groups:
        issues.append((("api", "vpc_link", "security_group"), _unknown("security group", link_sg, groups)))


def _check_origin_verify(spec: ArchSpec, issues: Issues) -> None:
    verify = spec.api.origin_verify
    if verify is None:
        return
    loc: Loc = ("api", "origin_verify")
    if not spec.edge.cdn.enabled:
        issues.append((loc, "origin verification needs CloudFront in front of the API: enable edge.cdn"))
    if verify.secret not in spec.secrets:
        issues.append(((*loc, "secret"), _unknown("secret", verify.secret, spec.secrets)))
    elif spec.secrets[verify.secret].rotation is not None:
        issues.append(
            (
                ("secrets", verify.secret, "rotation"),
                "the origin-verify secret cannot rotate on its own: CloudFront and the stage's web ACL read "
                "its value when the stacks deploy; remove rotation and redeploy to change it",
            )
        )


def _check_vpc_link_method(spec: ArchSpec, path: str, function: str, loc: Loc, issues: Issues) -> None:
    """A method integrated through the VPC link reaches its function only if the load balancer routes the
    method's path there."""
    if not spec.api.vpc_link.enabled:
        issues.append((loc, "integration: vpc_link needs api.vpc_link.enabled"))
        return
    if not spec.network.alb.enabled:
        return  # reported on api.vpc_link.enabled
    targets = spec.network.alb.targets
    if function not in targets:
        issues.append((loc, _unknown("load balancer target", function, targets) + f" (function of {path})"))
        return
    sample = api_path_sample(path)
    routed = alb_route(spec, sample)
    if routed is None:
        issues.append((loc, f"no path pattern of network.alb.targets matches {sample}"))
    elif routed != function:
        issues.append((loc, f"the load balancer routes {sample} to '{routed}', not to '{function}'"))


def _check_edge(spec: ArchSpec, issues: Issues) -> None:
    cdn = spec.edge.cdn
    if cdn.enabled:
        if cdn.static_bucket is None:
            if cdn.default_origin is None:
                issues.append(
                    (
                        ("edge", "cdn", "static_bucket"),
                        "without a static bucket the default behaviour needs edge.cdn.default_origin",
                    )
                )
        elif cdn.static_bucket not in spec.buckets:
            issues.append(
                (("edge", "cdn", "static_bucket"), _unknown("bucket", cdn.static_bucket, spec.buckets))
            )
        elif not _prefix_declared(
            cdn.static_prefix, [p.path for p in spec.buckets[cdn.static_bucket].prefixes]
        ):
            issues.append(
                (
                    ("edge", "cdn", "static_prefix"),
                    f"prefix '{cdn.static_prefix}' is not declared on buckets.{cdn.static_bucket}",
                )
            )
        _check_cdn_behaviors(spec, issues)
        if cdn.logs_bucket is not None and cdn.logs_bucket not in spec.buckets:
            issues.append((("edge", "cdn", "logs_bucket"), _unknown("bucket", cdn.logs_bucket, spec.buckets)))
    if spec.edge.waf.enabled and not cdn.enabled:
        issues.append(
            (
                ("edge", "waf", "enabled"),
                "the WAF web ACL protects CloudFront; enable edge.cdn, or protect the API stage with api.waf",
            )
        )
    _check_waf(spec, ("edge", "waf"), spec.edge.waf, issues)
    dns = spec.edge.dns
    records = dns.records if dns.enabled else []  # records of a disabled zone are moot
    domain = spec.api.domain
    for i, rec in enumerate(records):
        loc: Loc = ("edge", "dns", "records", i)
        if rec.target == "cdn" and not cdn.enabled:
            issues.append(((*loc, "target"), "target cdn needs edge.cdn.enabled"))
        elif rec.target == "api" and (domain is None or not spec.api.routes):
            issues.append(((*loc, "target"), "target api needs api.domain (the API's custom domain name)"))
        elif rec.target == "api" and domain is not None and _in_zone(domain.domain_name, dns.domain_name):
            fqdn = f"{rec.name}.{dns.domain_name}" if rec.name else dns.domain_name
            if fqdn != domain.domain_name:
                issues.append(
                    (
                        (*loc, "name"),
                        f"the record names {fqdn}, but api.domain.domain_name is {domain.domain_name}: "
                        "API Gateway answers only its domain's name",
                    )
                )


def _check_cdn_behaviors(spec: ArchSpec, issues: Issues) -> None:
    """Every origin a behaviour names exists (a bucket CloudFront may read), each path pattern once."""
    cdn = spec.edge.cdn
    readable = [k for k, b in spec.buckets.items() if any(p.principal == "cloudfront" for p in b.policies)]
    targets = [
        *(["api"] if spec.api.routes else []),
        *(f"buckets.{k}" for k in readable),
        *(f"origins.{k}" for k in cdn.origins),
    ]

    def check(loc: Loc, target: str) -> None:
        if target in targets:
            return
        if target.startswith("buckets.") and target.split(".", 1)[1] in spec.buckets:
            issues.append((loc, f"{target} has no policy granting principal cloudfront read; add one"))
        else:
            issues.append((loc, _unknown("origin", target, targets)))

    if cdn.default_origin is not None:
        check(("edge", "cdn", "default_origin"), cdn.default_origin)
    seen = {cdn.api_path_pattern} if spec.api.routes else set()
    for i, behavior in enumerate(cdn.behaviors):
        check(("edge", "cdn", "behaviors", i, "origin"), behavior.origin)
        if behavior.path_pattern in seen:
            issues.append(
                (
                    ("edge", "cdn", "behaviors", i, "path_pattern"),
                    f"path pattern {behavior.path_pattern} already has a behaviour",
                )
            )
        seen.add(behavior.path_pattern)


def _check_waf(spec: ArchSpec, loc: Loc, waf: WafSpec, issues: Issues) -> None:
    """Country codes, and rule names unique in the web ACL (custom ones and those archkit adds)."""
    if not waf.enabled:
        return
    for i, code in enumerate(waf.geo_block):
        if not re.fullmatch(r"[A-Z]{2}", code):
            issues.append(((*loc, "geo_block", i), f"'{code}' is not an ISO 3166 alpha-2 country code"))
    reserved = rule_names(spec, waf)
    seen: set[str] = set()
    for i, rule in enumerate(waf.rules):
        rloc = (*loc, "rules", i)
        for j, code in enumerate(rule.geo_match or []):
            if not re.fullmatch(r"[A-Z]{2}", code):
                issues.append(((*rloc, "geo_match", j), f"'{code}' is not an ISO 3166 alpha-2 country code"))
        if rule.name in seen:
            issues.append(((*rloc, "name"), f"rule name '{rule.name}' is used twice in this web ACL"))
        elif rule.name in reserved:
            issues.append(
                (
                    (*rloc, "name"),
                    f"rule name '{rule.name}' is taken by a rule archkit adds ({', '.join(reserved)})",
                )
            )
        seen.add(rule.name)
        if rule.managed is not None:
            both = sorted(set(rule.managed.excluded_rules) & set(rule.managed.overrides))
            if both:
                issues.append(
                    ((*rloc, "managed", "overrides"), f"{', '.join(both)} also listed in excluded_rules")
                )


def _in_zone(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def _check_api_domain(spec: ArchSpec, issues: Issues) -> None:
    api, dns = spec.api, spec.edge.dns
    if api.disable_execute_api_endpoint and api.domain is None:
        issues.append(
            (
                ("api", "disable_execute_api_endpoint"),
                "without the execute-api endpoint the API is reached only through api.domain; declare it",
            )
        )
    if api.waf.enabled and not api.routes:
        issues.append((("api", "waf", "enabled"), "api.waf protects the API stage; declare api.routes"))
    domain = api.domain
    if domain is None:
        return
    loc: Loc = ("api", "domain")
    if api.endpoint_type != "REGIONAL":
        issues.append(
            (("api", "endpoint_type"), "a custom domain (api.domain) is regional: endpoint_type REGIONAL")
        )
    if domain.certificate_arn is None:
        if not dns.enabled:
            issues.append(
                (
                    (*loc, "certificate_arn"),
                    "name a certificate, or enable edge.dns: archkit issues one validated in the hosted zone",
                )
            )
        elif not _in_zone(domain.domain_name, dns.domain_name):
            issues.append(
                (
                    (*loc, "domain_name"),
                    f"{domain.domain_name} is not in the hosted zone {dns.domain_name}, where its certificate"
                    " is validated; name a certificate_arn",
                )
            )
    if len(set(domain.base_paths)) != len(domain.base_paths):
        issues.append(((*loc, "base_paths"), "a base path is listed twice"))


def _check_governance(spec: ArchSpec, issues: Issues) -> None:
    paths = {r.path for r in spec.resources()}
    governed: list[tuple[Loc, str]] = [
        (("compliance", "suppressions", i, "resource"), s.resource)
        for i, s in enumerate(spec.compliance.suppressions)
    ]
    governed += [(("drift", "ignore", i, "resource"), ig.resource) for i, ig in enumerate(spec.drift.ignore)]
    for loc, resource in governed:
        if resource != "*" and resource not in paths:
            issues.append((loc, _unknown("resource path", resource, paths)))
    for i, nag in enumerate(spec.compliance.nag_suppressions):
        if nag.resource is not None and nag.resource not in paths:
            issues.append(
                (
                    ("compliance", "nag_suppressions", i, "resource"),
                    _unknown("resource path", nag.resource, paths),
                )
            )
    _check_suppressed_rules(spec, issues)


RuleIds = Callable[[], Collection[str]]
_rule_catalogues: list[RuleIds] = []


def register_rule_ids(provider: RuleIds) -> None:
    """Let the layer that defines compliance rules tell the spec which rule ids exist (called lazily,
    only for a spec with suppressions). The spec knows no rules; `archkit/__init__.py` registers verify's."""
    if provider not in _rule_catalogues:
        _rule_catalogues.append(provider)


def _check_suppressed_rules(spec: ArchSpec, issues: Issues) -> None:
    """A suppression must name an existing rule: a typo would otherwise silently suppress nothing."""
    if not spec.compliance.suppressions or not _rule_catalogues:
        return
    known = sorted({rule for provider in _rule_catalogues for rule in provider()})
    for i, entry in enumerate(spec.compliance.suppressions):
        if entry.rule not in known:
            issues.append((("compliance", "suppressions", i, "rule"), _unknown("rule id", entry.rule, known)))


def _one_of(loc: Loc, obj: object, fields: tuple[str, ...], issues: Issues) -> bool:
    """Exactly one of ``fields`` is set on ``obj``; else an issue naming them."""
    given = [f for f in fields if getattr(obj, f) is not None]
    if len(given) == 1:
        return True
    names = ", ".join(fields[:-1]) + f" or {fields[-1]}"
    if given:
        issues.append(((*loc, given[1]), f"give exactly one of {names}, not {' and '.join(given)}"))
    else:
        issues.append((loc, f"give exactly one target: {names}"))
    return False


def _check_target(spec: ArchSpec, loc: Loc, obj: object, fields: tuple[str, ...], issues: Issues) -> None:
    """A target given as one of ``fields`` (function, queue, topic) names a declared one."""
    if not _one_of(loc, obj, fields, issues):
        return
    pools: dict[str, tuple[str, Mapping[str, object]]] = {
        "function": ("function", spec.functions),
        "queue": ("queue", spec.queues),
        "topic": ("topic", spec.topics),
    }
    for field in fields:
        value = getattr(obj, field)
        if field not in pools:
            continue  # an email address names nothing in the spec
        kind, pool = pools[field]
        if value is not None and value not in pool:
            issues.append(((*loc, field), _unknown(kind, value, pool)))


def _check_encryption_key(
    spec: ArchSpec, loc: Loc, encryption: str, kms_key: str | None, issues: Issues
) -> None:
    if encryption == "kms":
        if kms_key is None:
            issues.append(((*loc, "kms_key"), "encryption: kms needs a kms_key (a key of security.kms_keys)"))
        elif kms_key not in spec.security.kms_keys:
            issues.append(((*loc, "kms_key"), _unknown("KMS key", kms_key, spec.security.kms_keys)))
    elif kms_key is not None:
        issues.append(((*loc, "kms_key"), "kms_key is only used with encryption: kms"))


def _check_events(spec: ArchSpec, issues: Issues) -> None:
    """Queues, topics, schedules, rules, bucket notifications and the functions' event sources."""
    for qname, queue_spec in spec.queues.items():
        _check_encryption_key(spec, ("queues", qname), queue_spec.encryption, queue_spec.kms_key, issues)
    for tname, topic in spec.topics.items():
        loc: Loc = ("topics", tname)
        _check_encryption_key(spec, loc, topic.encryption, topic.kms_key, issues)
        seen: set[tuple[str, str]] = set()
        for i, sub in enumerate(topic.subscriptions):
            _check_target(spec, (*loc, "subscriptions", i), sub, ("email", "queue", "function"), issues)
            if sub.target() in seen:
                issues.append(((*loc, "subscriptions", i), f"{sub.target()[1]} is subscribed twice"))
            seen.add(sub.target())
    for group in ("schedules", "event_rules"):
        for name, entry in getattr(spec, group).items():
            _check_target(spec, (group, name), entry, ("function", "queue"), issues)
    for bname, bucket in spec.buckets.items():
        declared = [p.path for p in bucket.prefixes]
        placed: list[tuple[int, set[str], str, str]] = []
        for i, note in enumerate(bucket.notifications):
            loc = ("buckets", bname, "notifications", i)
            _check_target(spec, loc, note, ("function", "queue", "topic"), issues)
            if declared and not _prefix_declared(note.prefix, declared):
                issues.append(
                    ((*loc, "prefix"), _unknown(f"prefix of buckets.{bname}", note.prefix, declared))
                )
            for j, events, prefix, suffix in placed:
                if (
                    events & set(note.events)
                    and (prefix.startswith(note.prefix) or note.prefix.startswith(prefix))
                    and (suffix.endswith(note.suffix) or note.suffix.endswith(suffix))
                ):
                    issues.append(
                        (
                            (*loc, "prefix"),
                            f"overlaps notification {j} for the same events; S3 refuses overlapping "
                            "prefix/suffix filters",
                        )
                    )
            placed.append((i, set(note.events), note.prefix, note.suffix))
    consumers: dict[str, str] = {}
    for fname, fn in spec.functions.items():
        loc = ("functions", fname)
        for i, trigger in enumerate(fn.triggers):
            tloc = (*loc, "triggers", i)
            queue = spec.queues.get(trigger.queue)
            if queue is None:
                issues.append(((*tloc, "queue"), _unknown("queue", trigger.queue, spec.queues)))
                continue
            if trigger.queue in consumers:
                issues.append(
                    (
                        (*tloc, "queue"),
                        f"queue '{trigger.queue}' is already consumed by '{consumers[trigger.queue]}'",
                    )
                )
            consumers.setdefault(trigger.queue, fname)
            if queue.visibility_timeout < fn.timeout:
                issues.append(
                    (
                        (*tloc, "queue"),
                        f"queues.{trigger.queue}.visibility_timeout ({queue.visibility_timeout} s) is below "
                        f"the function's timeout ({fn.timeout} s); Lambda refuses the mapping",
                    )
                )
            if trigger.batch_size > 10 and trigger.batching_window == 0:
                issues.append(
                    ((*tloc, "batch_size"), "a batch size above 10 needs a batching_window of at least 1 s")
                )
        if fn.async_invoke is not None and fn.async_invoke.on_failure is not None:
            _check_target(
                spec,
                (*loc, "async_invoke", "on_failure"),
                fn.async_invoke.on_failure,
                ("queue", "topic"),
                issues,
            )
        if (
            fn.provisioned_concurrency is not None
            and fn.reserved_concurrency is not None
            and fn.provisioned_concurrency > fn.reserved_concurrency
        ):
            issues.append(
                (
                    (*loc, "provisioned_concurrency"),
                    f"{fn.provisioned_concurrency} provisioned environments exceed the reserved concurrency "
                    f"({fn.reserved_concurrency})",
                )
            )
