"""The WAFv2 web ACLs: CloudFront's (`edge.waf`, scope CLOUDFRONT, in us-east-1) and the API stage's
(`api.waf`, regional). Their rules are written once in :mod:`archkit.spec.waf`; both sides reduce a rule to
the same summary (:func:`archkit.spec.waf.rule_summary`), so a rule changed, added, removed or moved is
drift of ``rules[<name>]``."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.conventions import logged_web_acls
from archkit.spec.edge import WafSpec
from archkit.spec.inventory import Resource
from archkit.spec.waf import desired_rule_summaries, rule_summary, secret_headers, waf_of, web_acls
from archkit.verify.kinds.base import GLOBAL_REGION, Kind, identity
from archkit.verify.kinds.reading import Context, Unreadable
from archkit.verify.state import ResourceState, SortedSet


class WebAclState(ResourceState):
    kind: ClassVar[str] = "web_acl"
    scope: Literal["CLOUDFRONT", "REGIONAL"]
    default_action: Literal["allow", "block"]
    rate_limit: int | None = Field(
        description="Limit of the per-address rate rule (else the first rate rule)."
    )
    managed_rule_groups: SortedSet = Field(description="`<vendor>/<name>` of managed rule groups.")
    geo_block: SortedSet = Field(description="Countries a blocking geo match rule names.")
    blocked_ips: SortedSet = Field(description="Addresses a blocking IP set rule names.")
    rules: dict[str, str] = Field(
        default={}, description="Rule name -> priority, action and statement (canonical JSON)."
    )
    logging: bool = Field(description="Requests are logged (a logging configuration exists).")


def read_logging(waf: Any, unreadable: Unreadable, arn: str, attribute: str = "logging") -> bool:
    """Whether a web ACL has a logging configuration (shared with the API stage's web ACL)."""
    found = unreadable.read(
        attribute,
        lambda: waf.get_logging_configuration(ResourceArn=arn).get("LoggingConfiguration"),
        "WAFNonexistentItemException",
    )
    return bool(found)


def waf_settings(spec: ArchSpec, path: str) -> WafSpec:
    """The switches of the web ACL at ``path`` (CloudFront's when the stage ACL has none of its own)."""
    return waf_of(spec, path) or spec.edge.waf


def _facts(rules: list[dict[str, Any]]) -> dict[str, Any]:
    """What the compliance rules read, from rules in WAF API shape (priority order; IP set references
    holding their ``Addresses``): the same function on both sides."""
    out: dict[str, Any] = {"rate_limit": None, "managed_rule_groups": [], "geo_block": [], "blocked_ips": []}
    rates: list[dict[str, Any]] = []
    for rule in rules:
        statement = rule.get("Statement") or {}
        blocks = "Block" in (rule.get("Action") or {})
        if "RateBasedStatement" in statement:
            rates.append(statement["RateBasedStatement"])
        elif "ManagedRuleGroupStatement" in statement:
            group = statement["ManagedRuleGroupStatement"]
            out["managed_rule_groups"].append(f"{group['VendorName']}/{group['Name']}")
        elif "GeoMatchStatement" in statement and blocks:
            out["geo_block"].extend(statement["GeoMatchStatement"].get("CountryCodes", []))
        elif "IPSetReferenceStatement" in statement and blocks:
            out["blocked_ips"].extend(statement["IPSetReferenceStatement"].get("Addresses", []))
    plain = [r for r in rates if r.get("AggregateKeyType") == "IP" and "ScopeDownStatement" not in r]
    if plain or rates:
        out["rate_limit"] = (plain or rates)[0].get("Limit")
    return out


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    from archkit.spec.waf import resolve_refs

    acl = next(a for a in web_acls(spec) if a.path == res.path)
    bodies = [resolve_refs(r.body, lambda ref: {"Addresses": sorted(ref.addresses)}) for r in acl.rules]
    return [
        WebAclState(
            **identity(spec, res, WebAclState),
            scope=acl.scope,
            default_action="allow",
            **_facts(bodies),
            rules=desired_rule_summaries(spec, acl),
            logging=acl.key in logged_web_acls(spec),
        )
    ]


def _observed_rules(waf: Any, scope: str, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ACL's rules in priority order, each IP set reference read as the addresses of its set."""
    cache: dict[str, list[str]] = {}

    def addresses(arn: str) -> list[str]:
        if arn not in cache:
            name, ip_id = arn.rsplit("/", 2)[-2:]
            cache[arn] = sorted(
                waf.get_ip_set(Name=name, Scope=scope, Id=ip_id)["IPSet"].get("Addresses", [])
            )
        return cache[arn]

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        ref = out.get("IPSetReferenceStatement")
        if isinstance(ref, dict) and "ARN" in ref:
            rest = {k: v for k, v in ref.items() if k != "ARN"}
            out["IPSetReferenceStatement"] = {**rest, "Addresses": addresses(ref["ARN"])}
        return out

    return [walk(r) for r in sorted(rules, key=lambda r: r.get("Priority", 0))]


def _list_acls(waf: Any, scope: str) -> list[dict[str, Any]]:
    acls: list[dict[str, Any]] = []
    token: str | None = None
    while True:  # ListWebACLs has no paginator
        kwargs: dict[str, Any] = {"Scope": scope, "Limit": 100}
        if token:
            kwargs["NextMarker"] = token
        page = waf.list_web_acls(**kwargs)
        acls.extend(page.get("WebACLs", []))
        token = page.get("NextMarker")
        if not token or not page.get("WebACLs"):
            break
    return acls


def collect(ctx: Context) -> None:
    for want in ctx.wanted("AWS::WAFv2::WebACL"):
        _collect_one(ctx, want)


def _collect_one(ctx: Context, want: ResourceState) -> None:
    scope = getattr(want, "scope", "CLOUDFRONT")
    waf = ctx.aws.client("wafv2", GLOBAL_REGION) if scope == "CLOUDFRONT" else ctx.aws.client("wafv2")
    summary = next((a for a in _list_acls(waf, scope) if a["Name"] == want.physical_id), None)
    if summary is None:
        return
    acl = waf.get_web_acl(Name=summary["Name"], Scope=scope, Id=summary["Id"])["WebACL"]
    u = Unreadable()
    tag_info = u.read(
        "tags", lambda: waf.list_tags_for_resource(ResourceARN=acl["ARN"]).get("TagInfoForResource", {})
    )
    rules = _observed_rules(waf, scope, acl.get("Rules", []))
    headers = secret_headers(ctx.spec)
    ctx.add(
        WebAclState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=acl["Id"],
            arn=acl["ARN"],
            ids=[acl["ARN"], acl["Id"]],
            unreadable=u.reasons,
            tags={t["Key"]: t["Value"] for t in (tag_info or {}).get("TagList", [])},
            scope=scope,
            default_action="block" if "Block" in (acl.get("DefaultAction") or {}) else "allow",
            **_facts(rules),
            rules={r["Name"]: rule_summary(r.get("Priority", 0), r, headers) for r in rules},
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
    security=frozenset({"managed_rule_groups", "rate_limit", "geo_block", "blocked_ips", "rules", "logging"}),
)
