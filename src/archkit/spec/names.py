"""Name checks: every physical name the naming function derives is a valid AWS name, tags follow AWS's tag
rules, and names listed in the spec are listed once."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archkit.spec.conventions import COST_SCOPE_TAGS, logged_web_acls
from archkit.spec.name_patterns import ACCOUNT, DEFAULT_PATTERN, NAME_KINDS, SAMPLE_ACCOUNT, NameKind
from archkit.spec.naming import (
    ID_TAG,
    MAX_NAME_LENGTH,
    function_role_name,
    name_source,
    physical_name,
    waf_log_group_name,
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


@dataclass(frozen=True)
class NameRule:
    """What AWS accepts as the name of one resource type."""

    label: str
    """What the name is called in messages (``Lambda function name``)."""
    low: int
    high: int
    chars: re.Pattern[str] | None
    chars_text: str
    """The allowed characters, as a message says them."""

    def problem(self, name: str) -> str | None:
        if not self.low <= len(name) <= self.high:
            return f"it has {len(name)} characters, the limit is {self.low}-{self.high}"
        if self.chars is not None and not self.chars.match(name):
            return f"only {self.chars_text}"
        return None


_ALNUM_HYPHEN_UNDERSCORE = "letters, digits, '-' and '_'"
NAME_RULES: dict[str, NameRule] = {
    "AWS::DynamoDB::Table": NameRule(
        "DynamoDB table name", 3, 255, re.compile(r"^[A-Za-z0-9_.\-]+$"), "letters, digits, '_', '-' and '.'"
    ),
    "AWS::Lambda::Function": NameRule(
        "Lambda function name", 1, 64, re.compile(r"^[A-Za-z0-9_\-]+$"), _ALNUM_HYPHEN_UNDERSCORE
    ),
    "AWS::Lambda::LayerVersion": NameRule(
        "Lambda layer name", 1, 140, re.compile(r"^[A-Za-z0-9_\-]+$"), _ALNUM_HYPHEN_UNDERSCORE
    ),
    "AWS::IAM::Role": NameRule(
        "IAM role name",
        1,
        MAX_NAME_LENGTH["role"],
        re.compile(r"^[\w+=,.@\-]+$"),
        "letters, digits and '+=,.@-_'",
    ),
    "AWS::SecretsManager::Secret": NameRule(
        "secret name", 1, 512, re.compile(r"^[A-Za-z0-9/_+=.@\-]+$"), "letters, digits and '/_+=.@-'"
    ),
    "AWS::SQS::Queue": NameRule(
        "SQS queue name", 1, 80, re.compile(r"^[A-Za-z0-9_\-]+(\.fifo)?$"), _ALNUM_HYPHEN_UNDERSCORE
    ),
    "AWS::SNS::Topic": NameRule(
        "SNS topic name", 1, 256, re.compile(r"^[A-Za-z0-9_\-]+(\.fifo)?$"), _ALNUM_HYPHEN_UNDERSCORE
    ),
    "AWS::Logs::LogGroup": NameRule(
        "log group name", 1, 512, re.compile(r"^[A-Za-z0-9_.\-/#]+$"), "letters, digits and '_-./#'"
    ),
    "AWS::KMS::Key": NameRule(
        "KMS alias",
        7,
        MAX_NAME_LENGTH["kms_alias"],
        re.compile(r"^alias/[A-Za-z0-9/_\-]+$"),
        "'alias/' then letters, digits and '/_-'",
    ),
    "AWS::Budgets::Budget": NameRule(
        "budget name", 1, 100, re.compile(r"^[^:\\]+$"), "characters other than ':' and '\\'"
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": NameRule(
        "load balancer name",
        1,
        MAX_ALB_NAME,
        re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?$"),
        "letters, digits and '-', beginning and ending with a letter or digit",
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": NameRule(
        "target group name",
        1,
        MAX_ALB_NAME,
        re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?$"),
        "letters, digits and '-', beginning and ending with a letter or digit",
    ),
}
"""AWS's naming rules by CloudFormation type; S3 buckets have their own (:func:`bucket_name_problem`)."""

_KINDS_BY_SECTION: dict[str, NameKind] = {kind: kind for kind in NAME_KINDS}


def _checked(name: str) -> str:
    """The name as deployed for checking: an unresolved ``{account}`` counts as a 12-digit account id."""
    return name.replace(ACCOUNT, SAMPLE_ACCOUNT)


def _name_problem(cfn_type: str, name: str) -> tuple[str, str] | None:
    """(what the name is called, problem with the rule) when ``name`` breaks AWS's rule for ``cfn_type``."""
    if cfn_type == "AWS::S3::Bucket":
        problem = bucket_name_problem(_checked(name))
        return ("bucket name", f"breaks the S3 naming rules: {problem}") if problem else None
    rule = NAME_RULES.get(cfn_type)
    if rule is None:
        return None
    problem = rule.problem(_checked(name))
    return (rule.label, f"breaks AWS's rule for {rule.label}s: {problem}") if problem else None


def _resource_loc(spec: ArchSpec, path: str) -> Loc:
    """Where the name of the resource at ``path`` comes from: its own ``physical_name`` or the resource."""
    section, _, key = path.partition(".")
    kind = _KINDS_BY_SECTION.get(section)
    if kind is not None and key in getattr(spec, kind) and getattr(spec, kind)[key].physical_name:
        return name_source(spec, key, kind)
    return tuple(int(p) if p.isdigit() else p for p in path.split("."))


def _name_issue(spec: ArchSpec, path: str, name: str, broken: tuple[str, str], issues: Issues) -> None:
    """One located name error: at the resource, or at the ``physical_name`` that set its name (then the
    message names the resource)."""
    loc = _resource_loc(spec, path)
    of = "" if ".".join(map(str, loc)) == path else f" of {path}"
    section, _, key = path.partition(".")
    source = name_source(spec, key, _KINDS_BY_SECTION.get(section))
    pattern = spec.naming.patterns.get(source[-1]) if source[1] == "patterns" else spec.naming.pattern  # type: ignore[call-overload]
    by = f" (named by {'.'.join(map(str, source))}: '{pattern}')" if pattern != DEFAULT_PATTERN else ""
    issues.append((loc, f"{broken[0]} {_explain(name)}{of} {broken[1]}{by}"))


def _explain(name: str) -> str:
    return f"'{name}' (with a 12-digit account id)" if ACCOUNT in name else f"'{name}'"


def check_names(spec: ArchSpec) -> Issues:
    """Every name problem of a spec, each with its spec location: the final physical name of every declared
    resource against AWS's rule for its type, the names derived from them, tags, duplicates."""
    issues: Issues = []
    for res in spec.resources():
        broken = _name_problem(res.type, res.name)
        if broken:
            _name_issue(spec, res.path, res.name, broken, issues)
    for fname in spec.functions:
        role = function_role_name(spec, fname)
        broken = _name_problem("AWS::IAM::Role", role)
        if broken and not _name_problem("AWS::Lambda::Function", physical_name(spec, fname, "functions")):
            _name_issue(spec, f"functions.{fname}", role, ("execution role name", broken[1]), issues)
    for acl_key in logged_web_acls(spec):
        group = waf_log_group_name(spec, acl_key)
        broken = _name_problem("AWS::Logs::LogGroup", group)
        if broken:
            issues.append((("naming", "pattern"), f"WAF log group name {_explain(group)} {broken[1]}"))
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
    if spec.cost.budgets or spec.cost.anomaly_detection.enabled:
        for tag in COST_SCOPE_TAGS:
            if tag not in spec.cost.allocation_tags:
                issues.append(
                    (
                        ("cost", "allocation_tags"),
                        f"'{tag}' must be an allocation tag: budgets and the anomaly monitor count only costs"
                        f" tagged {', '.join(COST_SCOPE_TAGS)}",
                    )
                )


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
