"""ARCH-WAF-003: the web ACL has the common rule set (XSS and the OWASP top 10)."""

from __future__ import annotations

from archkit.verify.kinds.wafv2_web_acl import WebAclState
from archkit.verify.rules.base import Outcome, RuleContext, rule
from archkit.verify.rules.edge._managed import COMMON, require_group


@rule(
    id="ARCH-WAF-003",
    title="The WAF web ACL blocks cross-site scripting (AWS managed common rule set)",
    severity="high",
    layer="edge",
    enforces="XSS Protection",
    applies_to=WebAclState,
    resource_type="AWS::WAFv2::WebACL",
    remediation="Set `edge.waf.xss: true`.",
)
def check(acl: WebAclState, ctx: RuleContext) -> Outcome:
    """The AWS common managed rule group carries the cross-site scripting rules and the
    OWASP top-10 basics."""
    return require_group(acl, COMMON)
