"""Name checks: every physical name the naming function derives is a valid AWS name, tags follow AWS's tag
rules, and names listed in the spec are listed once."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from archkit.spec.naming import (
    ID_TAG,
    MAX_NAME_LENGTH,
    function_role_name,
    physical_name,
    target_group_name,
)

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec

Loc = tuple[str | int, ...]
Issues = list[tuple[Loc, str]]

RESERVED_TAGS = ("Project", "Environment", "Owner", ID_TAG)
"""Tag keys archkit sets itself (the cost-allocation tags and the spec-path tag)."""

MAX_ALB_NAME = 32
MIN_INDEX_NAME, MAX_INDEX_NAME = 3, 255
MAX_TAG_KEY, MAX_TAG_VALUE = 128, 256

_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3")
_TAG_TEXT = re.compile(r"^[\w .:/=+\-@]*$")
_INDEX_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid S3 general purpose bucket name, or None."""
    if not 3 <= len(name) <= MAX_NAME_LENGTH["bucket"]:
        return f"it has {len(name)} characters, the limit is 3-63 (shorten the key or the project name)"
    if not _BUCKET_NAME.match(name):
        return "only lower-case letters, digits, '.' and '-', beginning and ending with a letter or digit"
    if ".." in name or ".-" in name or "-." in name:
        return "no two adjacent periods, and no period next to a hyphen"
    try:
        ipaddress.ip_address(name)
        return "must not look like an IP address"
    except ValueError:
        pass
    for prefix in _BUCKET_RESERVED_PREFIXES:
        if name.startswith(prefix):
            return f"must not start with the reserved prefix '{prefix}'"
    for suffix in _BUCKET_RESERVED_SUFFIXES:
        if name.endswith(suffix):
            return f"must not end with the reserved suffix '{suffix}'"
    return None


def tag_problem(key: str, value: str) -> str | None:
    """Why ``key: value`` is not a valid AWS tag, or None."""
    if not 1 <= len(key) <= MAX_TAG_KEY:
        return f"tag keys are 1-{MAX_TAG_KEY} characters"
    if len(value) > MAX_TAG_VALUE:
        return f"tag values are at most {MAX_TAG_VALUE} characters"
    if key.lower().startswith("aws:"):
        return "tag keys starting with 'aws:' are reserved for AWS"
    if not _TAG_TEXT.match(key) or not _TAG_TEXT.match(value):
        return "tags may hold letters, digits, spaces and _ . : / = + - @ only"
    return None


def _duplicates(values: Iterable[str], loc: Loc, what: str, issues: Issues) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            issues.append(((*loc, i), f"{what} '{value}' is listed twice"))
        seen.add(value)


def check_names(spec: ArchSpec) -> Issues:
    """Every name problem of a spec, each with its spec location."""
    issues: Issues = []
    for fname in spec.functions:
        name, role = physical_name(spec, fname), function_role_name(spec, fname)
        if len(name) > MAX_NAME_LENGTH["function"]:
            issues.append((("functions", fname), f"function name '{name}' is longer than 64 characters"))
        elif len(role) > MAX_NAME_LENGTH["role"]:
            issues.append(
                (("functions", fname), f"execution role name '{role}' is longer than 64 characters")
            )
    for rname in spec.security.roles:
        role = physical_name(spec, rname)
        if len(role) > MAX_NAME_LENGTH["role"]:
            issues.append((("security", "roles", rname), f"role name '{role}' is longer than 64 characters"))
    rule_names: dict[str, str] = {}
    for group in ("schedules", "event_rules"):
        for key in getattr(spec, group):
            name = physical_name(spec, key)
            if len(name) > MAX_NAME_LENGTH["event_rule"]:
                issues.append(((group, key), f"EventBridge rule name '{name}' is longer than 64 characters"))
            if name in rule_names:
                issues.append(((group, key), f"rule name '{name}' is also the name of {rule_names[name]}"))
            rule_names.setdefault(name, f"{group}.{key}")
    for bname in spec.buckets:
        physical = physical_name(spec, bname)
        problem = bucket_name_problem(physical)
        if problem:
            issues.append(
                (("buckets", bname), f"bucket name '{physical}' breaks the S3 naming rules: {problem}")
            )
    if spec.network.alb.enabled:
        alb = physical_name(spec, "alb")
        if len(alb) > MAX_ALB_NAME:
            issues.append(
                (("network", "alb"), f"load balancer name '{alb}' is longer than {MAX_ALB_NAME} characters")
            )
        for fname in spec.network.alb.targets:
            group = target_group_name(spec, fname)
            if len(group) > MAX_ALB_NAME:
                issues.append(
                    (
                        ("network", "alb", "targets", fname),
                        f"target group name '{group}' is longer than {MAX_ALB_NAME} characters "
                        "(shorten the function key or the project name)",
                    )
                )
    for tname, table in spec.tables.items():
        for iname in table.indexes:
            if not (MIN_INDEX_NAME <= len(iname) <= MAX_INDEX_NAME and _INDEX_NAME.match(iname)):
                issues.append(((("tables", tname, "indexes", iname)), "index names are 3-255 characters"))
    _check_physical_duplicates(spec, issues)
    _check_tags(spec, issues)
    _check_listed_once(spec, issues)
    return issues


def _check_physical_duplicates(spec: ArchSpec, issues: Issues) -> None:
    first: dict[tuple[str, str], str] = {}
    for res in spec.resources():
        key = (res.type, res.name)
        if key in first:
            loc = tuple(int(p) if p.isdigit() else p for p in res.path.split("."))
            issues.append((loc, f"physical name '{res.name}' is already used by {first[key]}"))
        else:
            first[key] = res.path


def _check_tags(spec: ArchSpec, issues: Issues) -> None:
    for key, value in spec.tags.items():
        if key in RESERVED_TAGS:
            issues.append(
                (("tags", key), f"tag '{key}' is set by archkit (from project, environment, owner)")
            )
            continue
        problem = tag_problem(key, value)
        if problem:
            issues.append((("tags", key), problem))
    problem = tag_problem("Owner", spec.owner)
    if problem:
        issues.append((("owner",), f"the owner becomes the Owner tag: {problem}"))
    for i, tag in enumerate(spec.cost.allocation_tags):
        problem = tag_problem(tag, "")
        if problem:
            issues.append((("cost", "allocation_tags", i), problem))


def _check_listed_once(spec: ArchSpec, issues: Issues) -> None:
    for fname, fn in spec.functions.items():
        for field in ("layers", "secrets", "security_groups", "tiers"):
            _duplicates(
                getattr(fn, field), ("functions", fname, field), field.rstrip("s").replace("_", " "), issues
            )
    _duplicates(spec.api.api_keys, ("api", "api_keys"), "API key", issues)
    for pname, plan in spec.api.usage_plans.items():
        _duplicates(plan.api_keys, ("api", "usage_plans", pname, "api_keys"), "API key", issues)
    _duplicates(spec.cost.allocation_tags, ("cost", "allocation_tags"), "tag", issues)
    _duplicates(spec.edge.waf.geo_block, ("edge", "waf", "geo_block"), "country", issues)
    _duplicates(spec.security.data.data_masking, ("security", "data", "data_masking"), "attribute", issues)
