"""ARCH-WAF-002: the web ACL has the SQL-injection managed rule group."""

from __future__ import annotations

from archkit.verify.kinds.wafv2_web_acl import WebAclState
from archkit.verify.rules.base import Outcome, RuleContext, rule
from archkit.verify.rules.edge._managed import SQLI, require_group


@rule(
    id="ARCH-WAF-002",
    title="The WAF web ACL blocks SQL injection (AWS managed SQL database rule group)",
    severity="high",
    layer="edge",
    enforces="SQL Injection Protection",
    applies_to=WebAclState,
    resource_type="AWS::WAFv2::WebACL",
    remediation="Set `edge.waf.sql_injection: true`.",
)
def check(acl: WebAclState, ctx: RuleContext) -> Outcome:
    """The AWS SQL-injection managed rule group inspects query strings, bodies and cookies
    for SQL injection."""
    return require_group(acl, SQLI)
