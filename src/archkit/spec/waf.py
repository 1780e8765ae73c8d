"""The rules of every web ACL archkit deploys, written once in the shape of the WAF API (and CloudFormation):
the CDK app renders them into the templates, verify expects them and reads the account's back through
:func:`rule_summary`. Two leaves are not literal: :class:`IpSetRef` (an IP set the ACL references, created
beside it) and :class:`SecretRef` (the origin-verify header's value, resolved at deploy time).

Order is evaluation order: CloudFront's ACL (``edge.waf``) has the custom rules, then the switches' rules;
the stage's (``api.waf``) has origin verification and the methods' IP allow lists first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archkit.spec.conventions import API_WEB_ACL, EDGE_WEB_ACL, MANAGED_RULE_GROUPS, MANAGED_RULE_VENDOR

if TYPE_CHECKING:
    from archkit.spec.edge import WafRuleSpec, WafSpec
    from archkit.spec.system import ArchSpec

EDGE_WAF_PATH = "edge.waf"
API_WAF_PATH = "api.waf"
ORIGIN_VERIFY_RULE = "OriginVerify"
"""Name of the stage web ACL's rule blocking requests that did not come through CloudFront."""
SECRET_VALUE = "(secret)"
"""How a summary shows a header value read from a secret (never read by verify)."""

_NO_TRANSFORMATION = [{"Priority": 0, "Type": "NONE"}]
_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\+?\}")


@dataclass(frozen=True)
class IpSetRef:
    """An IP set the rule references by ARN: created beside the web ACL, named ``physical_name(key)``."""

    key: str
    construct_id: str
    addresses: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class SecretRef:
    """The value of a secret (key of ``secrets``), resolved by CloudFormation at deploy time."""

    secret: str


@dataclass(frozen=True)
class AclRule:
    """One rule of a web ACL in WAF API shape (``Action`` or ``OverrideAction``, ``Statement``)."""

    name: str
    body: dict[str, Any]


@dataclass(frozen=True)
class WebAcl:
    """A web ACL archkit deploys: its spec path, name key, scope and rules in evaluation order."""

    path: str
    key: str
    scope: str
    rules: tuple[AclRule, ...]
    waf: WafSpec | None
    """The switches and custom rules it carries (None: the stage ACL with `api.waf` off)."""


def web_acls(spec: ArchSpec) -> list[WebAcl]:
    """Every web ACL of the spec: CloudFront's (``edge.waf``) and the API stage's (regional)."""
    out = []
    if spec.edge.waf.enabled:
        out.append(
            WebAcl(
                EDGE_WAF_PATH, EDGE_WEB_ACL, "CLOUDFRONT", tuple(_waf_rules(spec.edge.waf, "")), spec.edge.waf
            )
        )
    if spec.api.routes and spec.api.stage_web_acl():
        waf = spec.api.waf if spec.api.waf.enabled else None
        rules = _stage_rules(spec) + (_waf_rules(waf, "api-") if waf is not None else [])
        out.append(WebAcl(stage_web_acl_path(spec), API_WEB_ACL, "REGIONAL", tuple(rules), waf))
    return out


def stage_web_acl_path(spec: ArchSpec) -> str:
    """``api.waf`` when the stage's web ACL is a declared resource of its own; before `api.waf` existed it
    was a part of the API (origin verification, IP allow lists), and stays so while `api.waf` is off."""
    return API_WAF_PATH if spec.api.waf.enabled else "api"


def waf_of(spec: ArchSpec, path: str) -> WafSpec | None:
    """The WAF settings of the web ACL at ``path`` (None for the stage ACL without `api.waf`)."""
    return next((acl.waf for acl in web_acls(spec) if acl.path == path), None)


def rule_names(spec: ArchSpec, waf: WafSpec) -> list[str]:
    """Names of the rules archkit adds itself to the ACL of ``waf`` (custom rules must not reuse them)."""
    stage = _stage_rules(spec) if waf is spec.api.waf else []
    return [r.name for r in (*stage, *_switch_rules(waf, ""))]


# --- rules -------------------------------------------------------------------------------------------------


def _block() -> dict[str, Any]:
    return {"Block": {}}


def _action(action: str) -> dict[str, Any]:
    return {action.capitalize(): {}}


def _managed(name: str, vendor: str = MANAGED_RULE_VENDOR, **extra: Any) -> dict[str, Any]:
    return {"ManagedRuleGroupStatement": {"Name": name, "VendorName": vendor, **extra}}


def _waf_rules(waf: WafSpec, ip_key: str) -> list[AclRule]:
    return [_custom_rule(rule, ip_key) for rule in waf.rules] + _switch_rules(waf, ip_key)


def _switch_rules(waf: WafSpec, ip_key: str) -> list[AclRule]:
    rules: list[AclRule] = []

    def switch(name: str, statement: dict[str, Any], managed: bool) -> None:
        body = {"OverrideAction": {"None": {}}} if managed else {"Action": _block()}
        rules.append(AclRule(name, {**body, "Statement": statement}))

    def group(key: str, **extra: Any) -> None:
        name = MANAGED_RULE_GROUPS[key]
        switch(f"{MANAGED_RULE_VENDOR}-{name}", _managed(name, **extra), managed=True)

    if waf.geo_block:
        switch("GeoBlock", {"GeoMatchStatement": {"CountryCodes": list(waf.geo_block)}}, managed=False)
    if waf.blocked_ips:
        ref = IpSetRef(
            f"{ip_key}blocked-ips", "BlockedIps", tuple(waf.blocked_ips), "Addresses always blocked"
        )
        switch("BlockedIps", {"IPSetReferenceStatement": {"Arn": ref}}, managed=False)
    if waf.ip_reputation:
        group("ip_reputation")
    if waf.rate_limit is not None:
        rate = {"AggregateKeyType": "IP", "EvaluationWindowSec": 300, "Limit": waf.rate_limit}
        switch("RateLimit", {"RateBasedStatement": rate}, managed=False)
    if waf.xss:
        group("xss")
    if waf.known_bad_inputs:
        group("known_bad_inputs")
    if waf.sql_injection:
        group("sql_injection")
    if waf.bot_control:
        bot = {"AWSManagedRulesBotControlRuleSet": {"InspectionLevel": "COMMON"}}
        group("bot_control", ManagedRuleGroupConfigs=[bot])
    return rules


def _custom_rule(rule: WafRuleSpec, ip_key: str) -> AclRule:
    statement: dict[str, Any]
    if rule.rate_limit is not None:
        rate = rule.rate_limit
        statement = {"EvaluationWindowSec": rate.window_seconds, "Limit": rate.limit}
        if rate.header is not None:
            header = {"Name": rate.header, "TextTransformations": _NO_TRANSFORMATION}
            statement |= {"AggregateKeyType": "CUSTOM_KEYS", "CustomKeys": [{"Header": header}]}
        else:
            statement["AggregateKeyType"] = "IP"
        if rate.path is not None:
            statement["ScopeDownStatement"] = _path_starts(rate.path)
        statement = {"RateBasedStatement": dict(sorted(statement.items()))}
    elif rule.ip_set is not None:
        key = f"{ip_key}{rule.name.lower().replace('_', '-')}"
        ref = IpSetRef(key, f"IpSet-{rule.name}", tuple(rule.ip_set), f"Addresses of WAF rule {rule.name}")
        statement = {"IPSetReferenceStatement": {"Arn": ref}}
    elif rule.geo_match is not None:
        statement = {"GeoMatchStatement": {"CountryCodes": list(rule.geo_match)}}
    else:
        assert rule.managed is not None
        group = rule.managed
        overrides = {name: "count" for name in group.excluded_rules} | dict(group.overrides)
        extra: dict[str, Any] = {}
        if overrides:
            extra["RuleActionOverrides"] = [
                {"ActionToUse": _action(action), "Name": name} for name, action in overrides.items()
            ]
        statement = _managed(group.name, group.vendor, **extra)
        override: dict[str, Any] = {"Count": {}} if rule.action == "count" else {"None": {}}
        return AclRule(rule.name, {"OverrideAction": override, "Statement": statement})
    return AclRule(rule.name, {"Action": _action(rule.action), "Statement": statement})


def _stage_rules(spec: ArchSpec) -> list[AclRule]:
    """Origin verification, then one rule per method with an IP allow list (one IP set per distinct list)."""
    api = spec.api
    rules: list[AclRule] = []
    if api.origin_verify is not None:
        has_secret = {
            "ByteMatchStatement": {
                "FieldToMatch": {"SingleHeader": {"Name": api.origin_verify.header}},
                "PositionalConstraint": "EXACTLY",
                "SearchString": SecretRef(api.origin_verify.secret),
                "TextTransformations": _NO_TRANSFORMATION,
            }
        }
        statement: dict[str, Any] = {"NotStatement": {"Statement": has_secret}}
        rules.append(AclRule(ORIGIN_VERIFY_RULE, {"Action": _block(), "Statement": statement}))
    lists: dict[tuple[str, ...], list[str]] = {}
    for path, verb, method in api.methods():
        if method.ip_allow_list:
            lists.setdefault(tuple(sorted(method.ip_allow_list)), []).append(f"{verb} {path}")
    refs = {
        cidrs: IpSetRef(
            f"api-allow-{i}", f"AllowList-{i}", cidrs, f"Clients allowed to call {', '.join(methods)}"[:256]
        )
        for i, (cidrs, methods) in enumerate(lists.items())
    }
    for path, verb, method in api.methods():
        if not method.ip_allow_list:
            continue
        reference: dict[str, Any] = {"Arn": refs[tuple(sorted(method.ip_allow_list))]}
        if api.origin_verify is not None:
            # Behind CloudFront the connecting address is CloudFront's: the client's is the last entry
            # CloudFront appends to X-Forwarded-For (trustworthy: origin verification admits CloudFront only).
            reference["IPSetForwardedIPConfig"] = {
                "FallbackBehavior": "NO_MATCH",
                "HeaderName": "X-Forwarded-For",
                "Position": "LAST",
            }
        statement = {
            "AndStatement": {
                "Statements": [
                    _method_is(verb),
                    _path_is(path, api.stage),
                    {"NotStatement": {"Statement": {"IPSetReferenceStatement": reference}}},
                ]
            }
        }
        rules.append(
            AclRule(ip_allow_list_rule_name(path, verb), {"Action": _block(), "Statement": statement})
        )
    return rules


def ip_allow_list_rule_name(path: str, verb: str) -> str:
    """``IpAllowList-GET-api-items``: WAF rule names allow letters, digits, hyphens and underscores."""
    return "IpAllowList-" + verb + re.sub(r"[^A-Za-z0-9_-]+", "-", path).rstrip("-")


def _method_is(verb: str) -> dict[str, Any]:
    return {
        "ByteMatchStatement": {
            "FieldToMatch": {"Method": {}},
            "PositionalConstraint": "EXACTLY",
            "SearchString": verb,
            "TextTransformations": _NO_TRANSFORMATION,
        }
    }


def _path_starts(path: str) -> dict[str, Any]:
    return {
        "ByteMatchStatement": {
            "FieldToMatch": {"UriPath": {}},
            "PositionalConstraint": "STARTS_WITH",
            "SearchString": path,
            "TextTransformations": _NO_TRANSFORMATION,
        }
    }


def _path_is(path: str, stage: str) -> dict[str, Any]:
    """The method's resource path, with or without the stage prefix, a path parameter as one segment."""
    pattern = _PATH_PARAM.sub("[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}"))
    return {
        "RegexMatchStatement": {
            "FieldToMatch": {"UriPath": {}},
            "RegexString": f"^(/{re.escape(stage)})?{pattern}/?$",
            "TextTransformations": _NO_TRANSFORMATION,
        }
    }


# --- the summary verify compares -------------------------------------------------------------------------


def rule_summary(priority: int, body: dict[str, Any], secret_headers: frozenset[str] = frozenset()) -> str:
    """One rule as verify compares it: priority, action and statement as canonical JSON. IP set references
    must already be replaced by their sorted addresses (``{"Addresses": [...]}``); a header value matched
    against a secret reads as ``(secret)`` on both sides."""
    kept = {k: v for k, v in body.items() if k in ("Action", "OverrideAction", "Statement")}
    return json.dumps({"Priority": priority, **_canonical(kept, secret_headers)}, sort_keys=True)


def _canonical(node: Any, secret_headers: frozenset[str]) -> Any:
    if isinstance(node, list):
        return [_canonical(v, secret_headers) for v in node]
    if isinstance(node, bytes):
        return node.decode("utf-8", "replace")
    if isinstance(node, SecretRef):
        return SECRET_VALUE
    if not isinstance(node, dict):
        return node
    # An empty list is an unset optional field: the API may return it, a template leaves it out.
    out = {k: _canonical(v, secret_headers) for k, v in node.items() if v != []}
    match = out.get("ByteMatchStatement")
    if isinstance(match, dict):
        header = (match.get("FieldToMatch") or {}).get("SingleHeader", {}).get("Name", "").lower()
        if header in secret_headers:
            out["ByteMatchStatement"] = {**match, "SearchString": SECRET_VALUE}
    return out


def secret_headers(spec: ArchSpec) -> frozenset[str]:
    verify = spec.api.origin_verify
    return frozenset({verify.header}) if verify is not None else frozenset()


def desired_rule_summaries(spec: ArchSpec, acl: WebAcl) -> dict[str, str]:
    """Rule name -> summary, from the spec (IP set references become their addresses)."""
    headers = secret_headers(spec)
    return {
        rule.name: rule_summary(
            i, resolve_refs(rule.body, lambda ref: {"Addresses": sorted(ref.addresses)}), headers
        )
        for i, rule in enumerate(acl.rules)
    }


def resolve_refs(node: Any, ip_set: Any, secret: Any = None) -> Any:
    """``node`` with every :class:`IpSetRef` replaced by ``ip_set(ref)`` and :class:`SecretRef` by
    ``secret(ref)`` (kept when no function is given)."""
    if isinstance(node, list):
        return [resolve_refs(v, ip_set, secret) for v in node]
    if isinstance(node, IpSetRef):
        return ip_set(node)
    if isinstance(node, SecretRef):
        return secret(node) if secret is not None else node
    if isinstance(node, dict):
        out = {k: resolve_refs(v, ip_set, secret) for k, v in node.items()}
        ref = out.get("IPSetReferenceStatement")
        # verify's side: the reference reads as the addresses it names (not an ARN of one deployment).
        if isinstance(ref, dict) and isinstance(ref.get("Arn"), dict):
            out["IPSetReferenceStatement"] = {**{k: v for k, v in ref.items() if k != "Arn"}, **ref["Arn"]}
        return out
    return node


def ip_set_refs(acl: WebAcl) -> list[IpSetRef]:
    """The distinct IP sets an ACL references, in rule order."""
    found: list[IpSetRef] = []
    resolve_refs([r.body for r in acl.rules], lambda ref: found.append(ref) if ref not in found else None)
    return found
