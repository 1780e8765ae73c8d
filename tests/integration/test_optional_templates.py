"""`archkit verify` against an account deployed from the synthesized templates of the optional-elements
variant (ALB with Lambda targets, the API's VPC link, bastion host, RDS; tests/cdk/optional_variant.py).

The variant is synthesized fresh, deployed into this module's moto server by the CloudFormation executor, and
verified: everything reads as the spec says, except what moto cannot hold (not_checked) and the differences
between the templates and the spec found here and reported to the CDK side (KNOWN_TEMPLATE_DIFFERENCES: when
the templates are fixed, this test fails and the set shrinks). Then single changes are found exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from cfn_deploy import Executor, deploy_assembly

from archkit.spec import ArchSpec, load_spec
from archkit.verify.collect.aws import Aws, AwsOptions
from archkit.verify.run import verify_account
from http_proxy import with_capabilities

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("optional_templates")]

EMULATOR_NOT_CHECKED = {
    ("api", "methods[GET /api/items].integration_target"),
    ("api", "methods[GET /api/items].vpc_link"),
    ("buckets.assets", "intelligent_tiering"),
    ("buckets.logs", "intelligent_tiering"),
    ("cost.anomaly_detection", None),
    ("network.security_groups.lambda", "egress[tcp 443 prefix_list dynamodb]"),
    ("network.security_groups.lambda", "egress[tcp 443 prefix_list s3]"),
}
"""What moto cannot hold (the reference's gaps, and an integration's connectionId and integrationTarget)."""

KNOWN_TEMPLATE_DIFFERENCES: set[tuple[Any, ...]] = set()
"""Differences between the templates and the spec (both found here were fixed at their source: CloudFormation
cannot tag listeners, so verify expects none; an all-SG-peer egress group now keeps CDK's deny-all rule)."""
KNOWN_COMPLIANCE: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> tuple[ArchSpec, Path]:
    from tests.cdk.optional_variant import optional_elements_doc, write_spec

    from archkit.cdk.synth import synthesize

    path = write_spec(optional_elements_doc(), tmp_path_factory.mktemp("optional"))
    spec = load_spec(path)
    return spec, synthesize(spec, path, path.parent / "generated", force=True).cdk_out


@pytest.fixture(scope="module")
def deployed(variant: tuple[ArchSpec, Path], moto_endpoint: str) -> Executor:
    return deploy_assembly(variant[1], moto_endpoint)


def findings(spec: ArchSpec, endpoint: str) -> list[dict[str, Any]]:
    aws = Aws(AwsOptions(region=spec.region, endpoint_url=with_capabilities(endpoint), calls_per_second=0))
    run = verify_account(spec, "spec.yaml", aws)
    return [f.model_dump(mode="json") for f in run.report.findings]


def drift(found: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        (f["change"], f["resource"], f["attribute"], json.dumps(f["expected"]), json.dumps(f["actual"]))
        for f in found
        if f["kind"] == "drift"
    }


def keyed(items: Iterable[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    return {(c, r, a, json.dumps(e), json.dumps(x)) for c, r, a, e, x in items}


def test_deployed_templates_read_as_the_spec_says(deployed: Executor, variant, moto_endpoint: str) -> None:
    spec, _ = variant
    found = findings(spec, moto_endpoint)
    assert drift(found) == keyed(KNOWN_TEMPLATE_DIFFERENCES)
    compliance = {
        (f["rule_id"], f["resource"]) for f in found if f["kind"] == "compliance" and not f["suppressed"]
    }
    assert compliance == KNOWN_COMPLIANCE
    not_checked = {(f["resource"], f["attribute"]) for f in found if f["kind"] == "not_checked"}
    assert not_checked == EMULATOR_NOT_CHECKED
    gaps = {(g.resource_type, g.property) for g in deployed.gaps if g.resource_type == "AWS::EC2::Instance"}
    assert gaps == {("AWS::EC2::Instance", "DisableApiTermination")}


def test_single_changes_are_reported_exactly(deployed: Executor, variant, moto_endpoint: str) -> None:
    spec, _ = variant
    rds, elb = deployed.client("rds", spec.region), deployed.client("elbv2", spec.region)
    rds.modify_db_instance(
        DBInstanceIdentifier="shop-prod-db", PubliclyAccessible=True, ApplyImmediately=True
    )
    group = elb.describe_target_groups(Names=["shop-prod-get-user"])["TargetGroups"][0]["TargetGroupArn"]
    target = elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"][0]["Target"]
    elb.deregister_targets(TargetGroupArn=group, Targets=[{"Id": target["Id"]}])
    try:
        found = findings(spec, moto_endpoint)
    finally:
        rds.modify_db_instance(
            DBInstanceIdentifier="shop-prod-db", PubliclyAccessible=False, ApplyImmediately=True
        )
        elb.register_targets(TargetGroupArn=group, Targets=[{"Id": target["Id"]}])
    changes = [
        ("changed", "rds", "publicly_accessible", False, True),
        ("changed", "network.alb.targets.get_user", "targets", ["functions.get_user"], []),
    ]
    assert drift(found) == keyed([*KNOWN_TEMPLATE_DIFFERENCES, *changes])
    compliance = {
        (f["rule_id"], f["resource"]) for f in found if f["kind"] == "compliance" and not f["suppressed"]
    }
    assert compliance == KNOWN_COMPLIANCE | {("ARCH-RDS-002", "rds")}
