"""The reference with the seed's optional boxes off (no ALB, VPC link, bastion host or database), synthesized
and deployed into an emulator of its own: nothing of the boxes is created, and verify reads it clean."""

from __future__ import annotations

import pytest

from shared import EMULATOR_NOT_CHECKED, DeployedAccount

pytestmark = [pytest.mark.slow]

OPTIONAL_TYPES = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::EC2::Instance",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBSubnetGroup",
    "AWS::ApiGatewayV2::VpcLink",
}


def test_no_optional_box_is_deployed(everything_off_account: DeployedAccount) -> None:
    deployed = {r.type for r in everything_off_account.executor.resources.values()}
    assert deployed & OPTIONAL_TYPES == set()
    assert "AWS::Lambda::Function" in deployed


def test_verify_reads_it_clean(everything_off_account: DeployedAccount) -> None:
    run = everything_off_account.verify(regions=("us-west-2",))
    findings = run.report.findings
    assert [f.message for f in findings if f.kind == "drift"] == []
    assert [f.message for f in findings if f.kind == "compliance" and not f.suppressed] == []
    not_checked = {(f.resource, f.attribute) for f in findings if f.kind == "not_checked"}
    assert not_checked == {(r, a) for r, a in EMULATOR_NOT_CHECKED if r != "api"}
    observed = {s.path for s in run.observed}
    assert not observed & {"network.alb", "network.bastion", "rds", "rds.subnet_group", "api.vpc_link"}
    assert {"functions.get_items", "tables.main", "edge.cdn"} <= observed
