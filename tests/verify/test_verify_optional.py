"""The seed's optional boxes (ALB with Lambda targets, the API's VPC link, bastion host, RDS) deployed into
moto: verify reads them clean, then finds each change made behind the spec's back exactly, and nothing else.

The clean read is the reference account's; the changes (tests/account_changes.py, OPTIONAL_CHANGES) are made
on the scratch account, beside test_verify_changes.py's, and read once.
moto keeps neither the connectionId nor the integrationTarget of an API Gateway integration: those two fields
of the VPC-link method are reported not_checked (`unsupported`), never passed.
"""

from __future__ import annotations

import json

import pytest

from account_changes import OPTIONAL_CHANGES as CHANGES
from account_changes import Change, ChangedRuns, drift_keys, finding_key
from archkit.emulate.changes import CHANGES as CATALOGUE
from archkit.emulate.changes import ChangeNotApplicable
from archkit.verify.desired import desired_states
from archkit.verify.iam_policy import READ_OPERATIONS, iam_actions, is_read_operation, policy_document
from shared import EMULATOR_NOT_CHECKED, RECORDED, DeployedAccount

pytestmark = [pytest.mark.slow]

VPC_LINK_METHOD = "methods[GET /api/items]"
MOTO_GAPS = EMULATOR_NOT_CHECKED

OPTIONAL_KINDS = {
    "network.alb": "load_balancer",
    "network.alb.listener": "listener",
    "network.alb.targets.get_items": "target_group",
    "network.bastion": "instance",
    "rds": "db_instance",
    "rds.subnet_group": "db_subnet_group",
    "api.vpc_link": "vpc_link",
}

REQUIRED_CHANGES = {
    "db-public",
    "db-backup-retention",
    "db-multi-az-off",
    "listener-removed",
    "target-removed",
    "imdsv1-allowed",
    "instance-type",
    "vpc-link-deleted",
}


DOMAIN = "shop.example.com"


def test_every_optional_element_is_read_and_matches(reference: DeployedAccount, clean_run) -> None:
    desired = {s.path: s for s in desired_states(reference.spec)}
    observed = {s.path: s for s in clean_run.observed}
    assert {p: desired[p].kind for p in OPTIONAL_KINDS} == OPTIONAL_KINDS
    assert set(observed) == set(desired) - {"cost.anomaly_detection"}
    for path in OPTIONAL_KINDS:
        assert observed[path].attributes() == desired[path].attributes(), path


def test_no_drift_on_a_correct_deployment(clean_run) -> None:
    drift = [f for f in clean_run.report.findings if f.kind == "drift"]
    assert drift == [], [f.message for f in drift]
    unsuppressed = [f for f in clean_run.report.findings if f.kind == "compliance" and not f.suppressed]
    assert unsuppressed == [], [f.message for f in unsuppressed]


def test_moto_gaps_are_reported_not_checked_unsupported(clean_run) -> None:
    gaps = {(f.resource, f.attribute) for f in clean_run.report.findings if f.kind == "not_checked"}
    assert gaps == MOTO_GAPS
    reasons = {f.reason for f in clean_run.report.findings if f.kind == "not_checked"}
    assert reasons == {"unsupported"}
    link = next(f for f in clean_run.report.findings if f.attribute == f"{VPC_LINK_METHOD}.vpc_link")
    assert "moto drops an integration's connectionId" in link.message


def test_observed_references_are_spec_paths(reference: DeployedAccount, clean_run) -> None:
    by_path = {s.path: s.attributes() for s in clean_run.observed}
    private = ["network.private_subnets.0", "network.private_subnets.1", "network.private_subnets.2"]
    alb = by_path["network.alb"]  # internal: the VPC link's target sits in the private subnets
    assert (alb["subnets"], alb["security_groups"]) == (private, ["network.security_groups.alb"])
    assert (alb["access_logs_bucket"], alb["access_logs_prefix"]) == ("buckets.logs", "alb")
    listener = by_path["network.alb.listener"]
    assert listener["load_balancer"] == "network.alb"
    assert listener["certificate"] == f"alb.{DOMAIN}"
    assert listener["rules"] == {
        "1": {"paths": ["/api/items", "/api/items/*"], "target_group": "network.alb.targets.get_items"},
    }
    assert by_path["network.alb.targets.get_items"]["targets"] == ["functions.get_items"]
    bastion = by_path["network.bastion"]
    assert (bastion["subnet"], bastion["security_groups"], bastion["role"]) == (
        "network.private_subnets.0",
        ["network.security_groups.bastion"],
        reference.spec.name_of("bastion-role"),
    )
    db = by_path["rds"]
    assert (db["kms_key"], db["subnet_group"], db["security_groups"]) == (
        "security.kms_keys.data",
        "rds.subnet_group",
        ["network.security_groups.database"],
    )
    assert by_path["rds.subnet_group"]["subnets"] == private
    assert by_path["api.vpc_link"]["subnets"] == private
    auth_env = by_path["functions.auth"]["environment"]
    assert (auth_env["DB_HOST"], auth_env["DB_PORT"], auth_env["DB_PASSWORD_SECRET_ARN"]) == (
        "${rds.address}",
        "5432",
        "${secrets.db_password.arn}",
    )
    assert by_path["edge.dns"]["records"][f"A alb.{DOMAIN}"] == "network.alb"
    method = by_path["api"]["methods"]["GET /api/items"]
    assert (method["integration"], method["function"]) == ("vpc_link", "functions.get_items")
    database_group = by_path["network.security_groups.database"]["ingress"]
    assert database_group["tcp 5432 sg network.security_groups.bastion"] == "PostgreSQL from the bastion host"


@pytest.mark.parametrize("change", CHANGES, ids=[c.id for c in CHANGES])
def test_change_is_detected_exactly(changed_runs: ChangedRuns, change: Change) -> None:
    found = drift_keys(changed_runs.drift)
    for expected in change.drift:
        assert finding_key(*expected) in found, f"{change.id}: {expected} not in {sorted(found)}"


def test_every_required_change_is_made() -> None:
    assert {c.id for c in CHANGES} >= REQUIRED_CHANGES


def test_compliance_failures_after_the_changes_are_exactly_the_rules_of_the_changes(
    changed_runs: ChangedRuns,
) -> None:
    """On the optional boxes' resources (the other changes of the same run fail rules of their own)."""
    optional = {"rds", "network.bastion", "network.security_groups.bastion"} | {
        p for p in OPTIONAL_KINDS if p.startswith("network.alb")
    }
    failing = {
        (f.rule_id, f.resource, f.attribute)
        for f in changed_runs.drift.report.findings
        if f.kind == "compliance" and not f.suppressed and f.resource in optional
    }
    assert failing == {c.rule for c in CHANGES if c.rule is not None}


def test_every_call_is_a_read_of_the_printed_policy(clean_run) -> None:
    """The new readers' operations were called, and each is a read the least-privilege policy grants."""
    new = {
        ("elbv2", "DescribeLoadBalancers"),
        ("elbv2", "DescribeLoadBalancerAttributes"),
        ("elbv2", "DescribeListeners"),
        ("elbv2", "DescribeRules"),
        ("elbv2", "DescribeTargetGroups"),
        ("elbv2", "DescribeTargetGroupAttributes"),
        ("elbv2", "DescribeTargetHealth"),
        ("elbv2", "DescribeTags"),
        ("acm", "DescribeCertificate"),
        ("rds", "DescribeDBInstances"),
        ("rds", "DescribeDBSubnetGroups"),
        ("rds", "ListTagsForResource"),
        ("ec2", "DescribeInstances"),
        ("ec2", "DescribeVolumes"),
        ("ec2", "DescribeInstanceAttribute"),
        ("iam", "GetInstanceProfile"),
        ("apigatewayv2", "GetVpcLinks"),
    }
    assert new <= RECORDED, sorted(new - RECORDED)
    policy = policy_document()
    granted = {a for st in policy["Statement"] for a in st["Action"]}  # type: ignore[index]
    for service, operation in sorted(RECORDED):
        assert operation in READ_OPERATIONS.get(service, ()), f"{service}:{operation} not in the policy"
        assert is_read_operation(operation)
        for action in iam_actions(service, operation):
            assert action in granted, action
    assert "elasticloadbalancing:DescribeTargetHealth" in granted
    assert "arn:aws:apigateway:*::/vpclinks" in json.dumps(policy)


def test_demo_change_makes_the_database_public(reference: DeployedAccount) -> None:
    rds, db_name = reference.client("rds"), reference.spec.name_of("db")
    with reference.changed("rds-public"):
        db = rds.describe_db_instances(DBInstanceIdentifier=db_name)["DBInstances"][0]
        assert db["PubliclyAccessible"] is True
    db = rds.describe_db_instances(DBInstanceIdentifier=db_name)["DBInstances"][0]
    assert db["PubliclyAccessible"] is False


def _reference_without_database() -> dict[str, object]:
    """The reference document with RDS switched off (prod enables it), and what needs the database."""
    import yaml

    from .conftest import REFERENCE

    doc = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    doc["rds"]["enabled"] = False
    doc["network"]["bastion"]["database_access"] = False
    for fn in doc["functions"].values():
        fn.pop("database", None)
    suppressions = doc["compliance"]["nag_suppressions"]
    doc["compliance"]["nag_suppressions"] = [s for s in suppressions if s.get("resource") != "rds"]
    return doc


def test_demo_change_needs_a_database() -> None:
    from archkit.spec import spec_from_dict

    without = spec_from_dict(_reference_without_database())
    with pytest.raises(ChangeNotApplicable, match=r"rds\.enabled is false"):
        CATALOGUE["rds-public"].apply(None, without)  # type: ignore[arg-type]


def test_demo_change_without_a_database_is_a_clear_usage_error(tmp_path) -> None:
    import yaml
    from typer.testing import CliRunner

    from archkit.cli import app

    spec_file = tmp_path / "no-database.yaml"
    spec_file.write_text(yaml.safe_dump(_reference_without_database(), sort_keys=False), encoding="utf-8")
    args = [
        "emulate",
        "--spec",
        str(spec_file),
        "--change",
        "rds-public",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 2
    assert "change 'rds-public' does not apply: the spec has no database" in result.output
