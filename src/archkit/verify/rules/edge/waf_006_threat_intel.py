"""ARCH-WAF-006: the web ACL has the threat-intelligence groups the spec asks for."""

from __future__ import annotations

from archkit.verify.kinds.wafv2_web_acl import WebAclState, waf_settings
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, not_applicable, rule
from archkit.verify.rules.edge._managed import IP_REPUTATION, KNOWN_BAD_INPUTS, require_group


@rule(
    id="ARCH-WAF-006",
    title="The WAF web ACL blocks known bad inputs and bad-reputation IPs where the spec asks",
    severity="medium",
    layer="edge",
    enforces="DDoS Protection (Shield) and WAF rules",
    applies_to=WebAclState,
    resource_type="AWS::WAFv2::WebACL",
    remediation="Keep `edge.waf.known_bad_inputs` and `edge.waf.ip_reputation` deployed on the web ACL.",
    counterparts=Counterparts(checkov=("CKV_AWS_192",)),
)
def check(acl: WebAclState, ctx: RuleContext) -> list[Outcome]:
    """The AWS known-bad-inputs managed rule group (e.g. Log4Shell probes) and the Amazon IP reputation list,
    each required when the spec's flag is on."""
    waf = waf_settings(ctx.spec, acl.path)
    outcomes = [
        require_group(acl, name) if wanted else not_applicable(f"the spec does not ask for {name}")
        for name, wanted in ((KNOWN_BAD_INPUTS, waf.known_bad_inputs), (IP_REPUTATION, waf.ip_reputation))
    ]
    return outcomes
