"""ARCH-ELB-003: application load balancers write access logs."""

from __future__ import annotations

from archkit.verify.kinds.elbv2_load_balancer import LoadBalancerState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule


@rule(
    id="ARCH-ELB-003",
    title="Application load balancers write access logs",
    severity="medium",
    layer="network",
    enforces="Access Logging",
    applies_to=LoadBalancerState,
    resource_type="AWS::ElasticLoadBalancingV2::LoadBalancer",
    remediation=(
        "Set `network.alb.access_logs: true` (the default) and declare a log bucket (`buckets.logs`, or an "
        "`access_logs_bucket` of another bucket)."
    ),
    counterparts=Counterparts(
        security_hub=("ELB.5",),
        cdk_nag=("AwsSolutions-ELB2", "NIST.800.53.R5-ELBLoggingEnabled"),
        checkov=("CKV_AWS_91",),
        prowler=("elbv2_logging_enabled",),
        config=("elb-logging-enabled",),
    ),
)
def check(lb: LoadBalancerState, ctx: RuleContext) -> Outcome:
    """Access logs record every request the load balancer routed, with client address and latency."""
    if not lb.access_logs or not lb.access_logs_bucket:
        return failed("access logging is off", attribute="access_logs", expected=True, actual=lb.access_logs)
    return passed(f"logs to {lb.access_logs_bucket}", attribute="access_logs")
