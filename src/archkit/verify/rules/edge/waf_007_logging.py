"""ARCH-WAF-007: every web ACL logs its requests."""

from __future__ import annotations

from archkit.verify.kinds.apigateway_rest_api import ApiState
from archkit.verify.kinds.wafv2_web_acl import WebAclState
from archkit.verify.rules.base import (
    Counterparts,
    Outcome,
    RuleContext,
    failed,
    not_applicable,
    passed,
    rule,
)


@rule(
    id="ARCH-WAF-007",
    title="WAF web ACLs log their requests (the distribution's and the API stage's)",
    severity="medium",
    layer="edge",
    enforces="Access Logging (what WAF allowed and blocked)",
    applies_to=(WebAclState, ApiState),
    resource_type="AWS::WAFv2::WebACL",
    remediation="Set `edge.waf.logging.enabled: true` (each web ACL logs to its own encrypted log group).",
    counterparts=Counterparts(
        security_hub=("WAF.11",),
        cdk_nag=("NIST.800.53.R5-WAFv2LoggingEnabled",),
        prowler=("wafv2_webacl_logging_enabled",),
        config=("wafv2-logging-enabled",),
    ),
)
def check(state: WebAclState | ApiState, ctx: RuleContext) -> Outcome:
    """Without request logs nobody can tell which rule blocked a customer, or what an attack looked like."""
    if isinstance(state, ApiState):
        if state.web_acl is None:
            return not_applicable("the stage has no web ACL of its own")
        logged, attribute = state.web_acl_logging, "web_acl_logging"
    else:
        logged, attribute = state.logging, "logging"
    if not logged:
        return failed("requests are not logged", attribute=attribute, expected=True, actual=False)
    return passed("requests logged", attribute=attribute)
