"""The WAFv2 web ACL of the distribution (scope CLOUDFRONT, in us-east-1)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import (
    EDGE_WEB_ACL,
    MANAGED_RULE_GROUPS,
    logged_web_acls,
    managed_rule_group_id,
)
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    GLOBAL_REGION,
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
)
from archkit.verify.state import ResourceState, SortedSet


class WebAclState(ResourceState):
    kind: ClassVar[str] = "web_acl"
    scope: Literal["CLOUDFRONT", "REGIONAL"]
    default_action: Literal["allow", "block"]
    rate_limit: int | None
    managed_rule_groups: SortedSet = Field(description="`<vendor>/<name>` of managed rule groups.")
    geo_block: SortedSet
    blocked_ips: SortedSet
    logging: bool = Field(description="Requests are logged (a logging configuration exists).")


def read_logging(waf: Any, unreadable: Unreadable, arn: str, attribute: str = "logging") -> bool:
    """Whether a web ACL has a logging configuration (shared with the API stage's web ACL)."""
    found = unreadable.read(
        attribute,
        lambda: waf.get_logging_configuration(ResourceArn=arn).get("LoggingConfiguration"),
        "WAFNonexistentItemException",
    )
    return bool(found)


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    waf = spec.edge.waf
    return [
        WebAclState(
            **identity(spec, res, WebAclState),
            scope="CLOUDFRONT",
            default_action="allow",
            rate_limit=waf.rate_limit,
            managed_rule_groups=[
                managed_rule_group_id(switch) for switch in MANAGED_RULE_GROUPS if getattr(waf, switch)
            ],
            geo_block=list(waf.geo_block),
            blocked_ips=list(waf.blocked_ips),
            logging=EDGE_WEB_ACL in logged_web_acls(spec),
        )
    ]


def _acl_rules(ctx: Context, waf: Any, rules: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"rate_limit": None, "managed": [], "geo": [], "ips": []}
    for rule in rules:
        st = rule.get("Statement") or {}
        if "RateBasedStatement" in st:
            out["rate_limit"] = st["RateBasedStatement"].get("Limit")
        elif "ManagedRuleGroupStatement" in st:
            g = st["ManagedRuleGroupStatement"]
            out["managed"].append(f"{g['VendorName']}/{g['Name']}")
        elif "GeoMatchStatement" in st:
            out["geo"].extend(st["GeoMatchStatement"].get("CountryCodes", []))
        elif "IPSetReferenceStatement" in st:
            arn = st["IPSetReferenceStatement"]["ARN"]
            name, ip_id = arn.rsplit("/", 2)[-2:]
            ip_set = waf.get_ip_set(Name=name, Scope="CLOUDFRONT", Id=ip_id)["IPSet"]
            out["ips"].extend(ip_set.get("Addresses", []))
    return out


def collect(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::WAFv2::WebACL")), None)
    if want is None:
        return
    waf = ctx.aws.client("wafv2", GLOBAL_REGION)
    acls: list[dict[str, Any]] = []
    token: str | None = None
    while True:  # ListWebACLs has no paginator
        kwargs: dict[str, Any] = {"Scope": "CLOUDFRONT", "Limit": 100}
        if token:
            kwargs["NextMarker"] = token
        page = waf.list_web_acls(**kwargs)
        acls.extend(page.get("WebACLs", []))
        token = page.get("NextMarker")
        if not token or not page.get("WebACLs"):
            break
    summary = next((a for a in acls if a["Name"] == want.physical_id), None)
    if summary is None:
        return
    acl = waf.get_web_acl(Name=summary["Name"], Scope="CLOUDFRONT", Id=summary["Id"])["WebACL"]
    u = Unreadable()
    tag_info = u.read(
        "tags", lambda: waf.list_tags_for_resource(ResourceARN=acl["ARN"]).get("TagInfoForResource", {})
    )
    rules = _acl_rules(ctx, waf, acl.get("Rules", []))
    ctx.add(
        WebAclState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=acl["Id"],
            arn=acl["ARN"],
            ids=[acl["ARN"], acl["Id"]],
            unreadable=u.reasons,
            tags={t["Key"]: t["Value"] for t in (tag_info or {}).get("TagList", [])},
            scope="CLOUDFRONT",
            default_action="block" if "Block" in (acl.get("DefaultAction") or {}) else "allow",
            rate_limit=rules["rate_limit"],
            managed_rule_groups=rules["managed"],
            geo_block=rules["geo"],
            blocked_ips=rules["ips"],
            logging=read_logging(waf, u, acl["ARN"]),
        )
    )


STATES: dict[str, type[ResourceState]] = {
    "AWS::WAFv2::WebACL": WebAclState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={
        "wafv2": ("ListWebACLs", "GetWebACL", "GetIPSet", "GetLoggingConfiguration", "ListTagsForResource")
    },
    security=frozenset({"managed_rule_groups", "rate_limit", "geo_block", "blocked_ips", "logging"}),
)
