"""The reference system deployed correctly into moto: verify finds no drift, and reads every resource."""

from __future__ import annotations

import json

from archkit.verify.desired import desired_states
from archkit.verify.report import render
from shared import EMULATOR_NOT_CHECKED

from .conftest import RECORDED

MOTO_GAPS = EMULATOR_NOT_CHECKED


def test_no_drift_on_a_correct_deployment(clean_run, reference):
    spec = reference.spec
    drift = [f for f in clean_run.report.findings if f.kind == "drift"]
    assert drift == [], [f.message for f in drift]
    assert clean_run.report.summary.drift == 0
    observed = {s.path for s in clean_run.observed}
    assert observed == {s.path for s in desired_states(spec)} - {"cost.anomaly_detection"}


def test_moto_gaps_are_reported_not_checked_unsupported(clean_run):
    gaps = {(f.resource, f.attribute) for f in clean_run.report.findings if f.kind == "not_checked"}
    assert gaps == MOTO_GAPS
    assert {f.reason for f in clean_run.report.findings if f.kind == "not_checked"} == {"unsupported"}
    assert not clean_run.report.account_unreadable()


def test_observed_references_are_spec_paths(clean_run):
    by_path = {s.path: s for s in clean_run.observed}
    fn = by_path["functions.get_user"]
    assert fn.security_groups == ["network.security_groups.lambda"]
    assert fn.layers == ["layers.common", "layers.aws_sdk"]
    assert fn.environment["JWT_SECRET_SECRET_ARN"] == "${secrets.jwt_secret.arn}"
    assert fn.subnets == [
        "network.private_subnets.0",
        "network.private_subnets.1",
        "network.private_subnets.2",
    ]
    assert by_path["functions.process_stream"].event_sources["tables.main"].batch_size == 100
    assert by_path["tables.main"].kms_key == "security.kms_keys.data"
    assert by_path["tables.main"].replicas == ["us-west-2"]
    assert by_path["edge.cdn"].web_acl == "edge.waf"
    assert by_path["edge.cdn"].origins == {"buckets.assets": "/static", "api": "/v1"}
    assert by_path["edge.dns"].records == {
        "A shop.example.com": "edge.cdn",
        "AAAA shop.example.com": "edge.cdn",
        "A alb.shop.example.com": "network.alb",
    }
    assert by_path["api"].methods["GET /api/users"].authorizer == "api.authorizers.jwt"
    assert (
        by_path["buckets.assets"].policy_statements["BackupRoleWriteBackups"].principal
        == "security.roles.backup"
    )
    assert by_path["network.private_subnets.1.route_table"].routes["0.0.0.0/0"] == "network.nat_gateways.1"
    assert by_path["secrets.jwt_secret"].rotation_function == "functions.rotate_secret"


def test_reports_are_byte_identical_on_rerun(clean_run, reference, endpoint):
    from .conftest import run_verify

    spec = reference.spec
    again = run_verify(spec, endpoint, regions=("us-west-2",))
    for fmt in ("json", "sarif", "junit", "table"):
        assert render(again.report, fmt) == render(clean_run.report, fmt)
    doc = json.loads(render(clean_run.report, "json"))
    assert set(doc) >= {"summary", "findings"}
    # every desired state but the anomaly monitor moto cannot hold
    assert doc["summary"]["resources_checked"] == len(desired_states(spec)) - 1


def test_calls_per_resource_are_bounded(clean_run):
    calls = sum(clean_run.calls.values())
    assert clean_run.calls["lambda:GetFunction"] == 9
    assert clean_run.calls["dynamodb:DescribeTable"] == 2  # the table, and its us-west-2 replica
    assert calls < 4 * len(clean_run.observed)
    assert ("lambda", "GetFunction") in RECORDED
