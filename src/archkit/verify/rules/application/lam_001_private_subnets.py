"""ARCH-LAM-001: functions run in the VPC's private subnets."""

from __future__ import annotations

from archkit.verify.kinds.ec2_network import SubnetState
from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, failed, passed, rule
from archkit.wording import count


@rule(
    id="ARCH-LAM-001",
    title="Lambda functions run in private subnets of the VPC",
    severity="medium",
    layer="application",
    enforces="VPC Security Groups (Lambda in the private subnets)",
    applies_to=FunctionState,
    resource_type="AWS::Lambda::Function",
    remediation="Set `vpc: true` on the function and declare `network.private_subnets`.",
    counterparts=Counterparts(
        security_hub=("Lambda.3 (NIST 800-53)",),
        cdk_nag=("NIST.800.53.R5-LambdaInsideVPC", "HIPAA.Security-LambdaInsideVPC"),
        checkov=("CKV_AWS_117",),
        prowler=("awslambda_function_inside_vpc",),
        config=("lambda-inside-vpc",),
    ),
    differences="cdk-nag only asks for a VPC; archkit also asks that every subnet is a private one.",
)
def check(fn: FunctionState, ctx: RuleContext) -> Outcome:
    """The function's ENIs sit only in private subnets (no public IP, egress through NAT or endpoints)."""
    if not fn.subnets:
        return failed(
            "the function is not in a VPC", attribute="subnets", expected="private subnets", actual=[]
        )
    not_private = []
    for path in fn.subnets:
        subnet = ctx.get(path)
        tier = subnet.tier if isinstance(subnet, SubnetState) else None
        if tier != "private" and not (tier is None and path.startswith("network.private_subnets.")):
            not_private.append(path)
    if not_private:
        return failed(
            f"subnets that are not private: {', '.join(not_private)}",
            attribute="subnets",
            expected="private subnets only",
            actual=list(fn.subnets),
        )
    return passed(f"{count(len(fn.subnets), 'private subnet')}", attribute="subnets")
