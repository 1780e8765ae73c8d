"""The kind framework: what one kind module declares (`Kind`), and the spec-side helpers several kinds share
(identity fields, tags, spec paths of derived resources, natural keys used on both sides of a state).

Imports pydantic (via the spec) only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.spec import ArchSpec, conventions
from archkit.spec.inventory import Resource
from archkit.spec.naming import database_secret_key, resource_tags
from archkit.spec.placeholders import resolve_placeholders
from archkit.verify.state import ResourceState

if TYPE_CHECKING:
    from archkit.verify.kinds.reading import Context

DesiredBuilder = Callable[[ArchSpec, Resource], list[ResourceState]]
Collector = Callable[["Context"], None]


@dataclass(frozen=True)
class Kind:
    """Everything verify knows about one resource kind; each module under `verify/kinds/` exports one as
    ``KIND`` and the registry (`archkit.verify.kinds`) is built from them."""

    states: Mapping[str, type[ResourceState]]
    """CloudFormation type -> the state model both sides produce."""
    desired: DesiredBuilder
    """Spec resource (from `archkit.spec.inventory`) -> its desired state(s)."""
    collect: Collector
    """Reads the kind's resources from the account into ``ctx`` (found, missing or not_checked)."""
    reads: Mapping[str, tuple[str, ...]]
    """botocore service -> operations the collector calls (the read-only IAM policy and the call guard)."""
    security: frozenset[str] = frozenset()
    """Attribute paths (fnmatch patterns; a bare name covers everything under it) whose drift weakens a
    security layer: reported `high`. Tags are `low`, everything else `medium`."""
    name: str = field(default="", compare=False)
    """Module name, set by the registry."""

    def severity(self, attribute: str) -> str:
        return attribute_severity(self.security, attribute)


def attribute_severity(security: frozenset[str], attribute: str) -> str:
    """`low` for tags, `high` for an attribute under one of the ``security`` patterns, else `medium`."""
    head = re.split(r"[.\[]", attribute, maxsplit=1)[0]
    if head == "tags":
        return "low"
    if any(head == p or matches_path(p, attribute) for p in security):
        return "high"
    return "medium"


def matches_path(pattern: str, attribute: str) -> bool:
    """Does an attribute path match a pattern? `*` and `?` are wildcards, everything else is literal
    (brackets belong to paths: `methods[*].authorizer`, `egress[*prefix_list*]`)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, attribute, re.S) is not None


# --- identity and tags -----------------------------------------------------------------------------------

EC2_NAMED_TYPES = frozenset(
    {
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::RouteTable",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::FlowLog",
        "AWS::EC2::Instance",
    }
)
"""EC2 resources have no name attribute: their physical name is their `Name` tag."""


def tags_of(spec: ArchSpec, res: Resource, state: type[ResourceState]) -> dict[str, str]:
    """The desired tag set: cost tags + `archkit:id`, plus `Name` on EC2 resources; none if untaggable."""
    if not state.TAGGABLE:
        return {}
    tags = resource_tags(spec, res.path)
    if res.type in EC2_NAMED_TYPES:
        tags["Name"] = res.name
    return tags


def identity(spec: ArchSpec, res: Resource, state: type[ResourceState]) -> dict[str, object]:
    """The identity fields and tags of a desired state."""
    return {
        "path": res.path,
        "resource_type": res.type,
        "physical_id": res.name,
        "tags": tags_of(spec, res, state),
    }


# --- spec paths shared by several kinds ------------------------------------------------------------------

GLOBAL_REGION = conventions.GLOBAL_REGION
"""Where the global services answer: CloudFront, CLOUDFRONT-scoped WAF, Route 53."""

API_ORIGIN = "api"
"""Origin / alias target name of the REST API (its spec path)."""

DATABASE_SECRET_PATH = "rds.credentials"
"""Spec path of the credentials secret generated when `rds.credentials_secret` names none."""


def route_table_path(subnet_path: str) -> str:
    """Spec path of the route table of a subnet: ``network.private_subnets.0.route_table``."""
    return f"{subnet_path}.route_table"


def group_paths(key: str | None) -> list[str]:
    """Spec paths of the security group a spec key names (none: no group)."""
    return [f"network.security_groups.{key}"] if key else []


def private_subnet_paths(spec: ArchSpec) -> list[str]:
    return [f"network.private_subnets.{i}" for i in range(len(spec.network.private_subnets))]


def kms_key_path(key: str | None) -> str | None:
    return f"security.kms_keys.{key}" if key else None


def secret_path(spec: ArchSpec, key: str) -> str:
    """Spec path of a secret key a function reads (the generated database credentials: `rds.credentials`)."""
    if spec.rds.enabled and spec.rds.credentials_secret is None and key == database_secret_key(spec):
        return DATABASE_SECRET_PATH
    return f"secrets.{key}"


def log_bucket(spec: ArchSpec) -> str | None:
    """Bucket key receiving the system's logs (flow logs to S3, the load balancer's access logs): `logs` if
    declared, else the first access-log target."""
    if "logs" in spec.buckets:
        return "logs"
    targets = [b.access_logs_bucket for b in spec.buckets.values() if b.access_logs_bucket]
    if spec.edge.cdn.logs_bucket:
        targets.append(spec.edge.cdn.logs_bucket)
    return targets[0] if targets else None


def resolve_env_value(spec: ArchSpec, value: str) -> str:
    """Resolve the account-independent placeholders; ARNs and the API URL stay as `${...}` tokens."""
    return resolve_placeholders(spec, value)


# --- natural keys, identical on both sides ---------------------------------------------------------------


def rule_key(protocol: str, from_port: int | None, to_port: int | None, peer: str) -> str:
    """Key of a security group rule, identical for the spec and the account: ``tcp 443 cidr 10.0.0.0/16``."""
    if protocol == "all" or from_port is None:
        ports = "all"
    elif to_port is None or to_port == from_port:
        ports = str(from_port)
    else:
        ports = f"{from_port}-{to_port}"
    return f"{protocol} {ports} {peer}"


def method_key(verb: str, path: str) -> str:
    return f"{verb} {path}"


def record_key(record_type: str, name: str, domain: str) -> str:
    fqdn = f"{name}.{domain}" if name else domain
    return f"{record_type} {fqdn.rstrip('.').lower()}"


# --- cost filters (budgets and the anomaly monitor) --------------------------------------------------------


def tag_filter_labels(
    expression: dict[str, Any] | None, cost_filters: dict[str, Any] | None = None
) -> list[str]:
    """The tag terms of a cost filter as ``Key=Value`` labels, all of which must match: the ``Tags`` terms
    of an expression or of its ``And``; the legacy ``CostFilters.TagKeyValue`` (``user:Key$Value``) ORs
    its values, so several become one ``A=a or B=b`` label; anything else is named as it is."""
    labels: list[str] = []
    expression = expression or {}
    for term in [expression] if "Tags" in expression else expression.get("And", []):
        tags = term.get("Tags")
        if tags is None:
            labels.append(json.dumps(term, sort_keys=True))
            continue
        for value in tags.get("Values", []):
            labels.append(f"{tags.get('Key', '')}={value}")
    for other in ("Or", "Not", "Dimensions", "CostCategories"):
        if other in expression:
            labels.append(json.dumps({other: expression[other]}, sort_keys=True))
    legacy = (cost_filters or {}).get("TagKeyValue", [])
    if legacy:
        terms = [v.removeprefix("user:").replace("$", "=", 1) for v in legacy]
        labels.append(" or ".join(sorted(terms)))
    return sorted(labels)
