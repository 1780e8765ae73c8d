"""ARCH-ELB-002: internet-facing load balancers listen on HTTPS only."""

from __future__ import annotations

from archkit.verify.kinds.elbv2_load_balancer import ListenerState, LoadBalancerState
from archkit.verify.rules.base import (
    Counterparts,
    Outcome,
    RuleContext,
    failed,
    not_applicable,
    passed,
    rule,
)


def _plain(protocol: str) -> bool:
    return protocol.upper() in ("HTTP", "TCP", "UDP", "TCP_UDP")


@rule(
    id="ARCH-ELB-002",
    title="Internet-facing load balancers accept HTTPS only (plain HTTP only inside the VPC)",
    severity="high",
    layer="network",
    enforces="Encryption in Transit (TLS)",
    applies_to=(ListenerState, LoadBalancerState),
    resource_type="AWS::ElasticLoadBalancingV2::Listener",
    remediation=(
        "Keep `network.alb.listener.protocol: HTTPS` on an internet-facing load balancer (plain HTTP is for "
        "`internet_facing: false` behind the API's VPC link) and delete listeners added by hand "
        "(`extra_listeners` of the load balancer), or make them redirect to HTTPS."
    ),
    counterparts=Counterparts(
        security_hub=("ELB.1",),
        cdk_nag=("NIST.800.53.R5-ALBHttpToHttpsRedirection", "NIST.800.53.R5-ELBTlsHttpsListenersOnly"),
        checkov=("CKV_AWS_2", "CKV_AWS_103"),
        prowler=("elbv2_listeners_underneath",),
        config=("alb-http-to-https-redirection-check",),
    ),
    differences=(
        "Security Hub ELB.1 asks every application load balancer to redirect HTTP to HTTPS; archkit accepts "
        "a plain-HTTP listener on an internal load balancer, whose only client is API Gateway's VPC link."
    ),
)
def check(state: ListenerState | LoadBalancerState, ctx: RuleContext) -> Outcome:
    """The listener's load balancer decides: internal ones are reached from inside the VPC only."""
    if isinstance(state, LoadBalancerState):
        if state.scheme == "internal":
            return not_applicable("internal load balancer")
        plain = sorted(x for x in state.extra_listeners if _plain(x.split(":", 1)[0]))
        if plain:
            return failed(
                f"plain listeners on an internet-facing load balancer: {', '.join(plain)}",
                attribute="extra_listeners",
                expected="HTTPS listeners only",
                actual=plain,
            )
        return passed("no plain listener besides the spec's", attribute="extra_listeners")
    lb = ctx.get(state.load_balancer)
    if lb is None or not isinstance(lb, LoadBalancerState):
        return not_applicable(f"{state.load_balancer} was not read")
    if lb.scheme == "internal":
        return not_applicable("listener of an internal load balancer")
    if _plain(state.protocol) and not state.default_action.startswith("redirect HTTPS"):
        return failed(
            f"{state.protocol}:{state.port} on an internet-facing load balancer",
            attribute="protocol",
            expected="HTTPS",
            actual=state.protocol,
        )
    return passed(f"{state.protocol}:{state.port}", attribute="protocol")
