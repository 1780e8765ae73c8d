"""Shared by the WAF rules: does a web ACL use an AWS managed rule group?"""

from __future__ import annotations

from archkit.spec.conventions import MANAGED_RULE_GROUPS, MANAGED_RULE_VENDOR
from archkit.verify.kinds.wafv2_web_acl import WebAclState
from archkit.verify.rules.base import Outcome, failed, passed

SQLI = MANAGED_RULE_GROUPS["sql_injection"]
COMMON = MANAGED_RULE_GROUPS["xss"]
BOT_CONTROL = MANAGED_RULE_GROUPS["bot_control"]
KNOWN_BAD_INPUTS = MANAGED_RULE_GROUPS["known_bad_inputs"]
IP_REPUTATION = MANAGED_RULE_GROUPS["ip_reputation"]


def has_group(acl: WebAclState, name: str) -> bool:
    """Managed groups read as `<vendor>/<name>`; the vendor of these groups is AWS."""
    return any(group.rpartition("/")[2] == name for group in acl.managed_rule_groups)


def require_group(acl: WebAclState, name: str) -> Outcome:
    if has_group(acl, name):
        return passed(f"uses {name}", attribute="managed_rule_groups")
    return failed(
        f"the managed rule group {name} is missing",
        attribute="managed_rule_groups",
        expected=f"{MANAGED_RULE_VENDOR}/{name}",
        actual=list(acl.managed_rule_groups),
    )
