"""ARCH-WAF-001: the web ACL has a rate-based rule."""

from __future__ import annotations

from archkit.verify.kinds.wafv2_web_acl import WebAclState
from archkit.verify.rules.base import Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-WAF-001",
    title="The WAF web ACL has a rate-based rule",
    severity="high",
    layer="edge",
    enforces="Rate Limiting",
    applies_to=WebAclState,
    resource_type="AWS::WAFv2::WebACL",
    remediation="Set `edge.waf.rate_limit` (requests per 5 minutes per IP, e.g. 2000).",
)
def check(acl: WebAclState, ctx: RuleContext) -> Outcome:
    """A rate-based rule blocks a single address flooding the system (layer-7 DDoS, credential stuffing)."""
    if acl.rate_limit is None:
        return failed(
            "no rate-based rule", attribute="rate_limit", expected="a limit per 5 minutes", actual=None
        )
    return passed(f"{acl.rate_limit} requests per 5 minutes per IP")
