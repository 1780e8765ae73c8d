"""Shared by the WAF rules: does a web ACL use an AWS managed rule group?"""

from __future__ import annotations

from archkit.verify.rules.base import Outcome, failed, passed
from archkit.verify.state import WebAclState

SQLI = "AWSManagedRulesSQLiRuleSet"
COMMON = "AWSManagedRulesCommonRuleSet"
BOT_CONTROL = "AWSManagedRulesBotControlRuleSet"
KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet"
IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList"


def has_group(acl: WebAclState, name: str) -> bool:
    """Managed groups read as `<vendor>/<name>`; the vendor of these groups is AWS."""
    return any(group.rpartition("/")[2] == name for group in acl.managed_rule_groups)


def require_group(acl: WebAclState, name: str) -> Outcome:
    if has_group(acl, name):
        return passed(f"uses {name}", attribute="managed_rule_groups")
    return failed(
        f"the managed rule group {name} is missing",
        attribute="managed_rule_groups",
        expected=f"AWS/{name}",
        actual=list(acl.managed_rule_groups),
    )
