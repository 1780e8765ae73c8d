"""ARCH-WAF-004: the web ACL has Bot Control where the spec asks for it."""

from __future__ import annotations

from archkit.verify.kinds.wafv2_web_acl import WebAclState, waf_settings
from archkit.verify.rules.base import Outcome, RuleContext, not_applicable, rule
from archkit.verify.rules.edge._managed import BOT_CONTROL, require_group


@rule(
    id="ARCH-WAF-004",
    title="The WAF web ACL detects bots (AWS managed Bot Control) where the spec asks",
    severity="medium",
    layer="edge",
    enforces="Bot Detection",
    applies_to=WebAclState,
    resource_type="AWS::WAFv2::WebACL",
    remediation="Keep `edge.waf.bot_control: true` deployed (the web ACL lacks the Bot Control group).",
)
def check(acl: WebAclState, ctx: RuleContext) -> Outcome:
    """Bot Control is a paid rule group, so it is required only when `edge.waf.bot_control` is true."""
    if not waf_settings(ctx.spec, acl.path).bot_control:
        return not_applicable("the spec does not ask for bot control")
    return require_group(acl, BOT_CONTROL)
