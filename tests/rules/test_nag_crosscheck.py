"""Cross-check with the field's tool: cdk-nag (AwsSolutions pack) on the synthesized CDK app of the same
good and bad specs must agree with the archkit rule that has it as counterpart; where they differ on purpose,
the difference documented in the rule's metadata is asserted here, so the catalogue stays true."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from tests.rules.conftest import ROOT, results_for, set_in, statuses

from shared import reference_doc

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("rules-nag")]

BAD_CHANGES: dict[str, Any] = {
    "tables.main.point_in_time_recovery": False,
    "tables.main.replicas": [],  # a plain table: cdk-nag's DDB3 does not look at global tables (see below)
    "security.kms_keys.data.rotation": False,
    "secrets.jwt_secret.rotation": None,
    "buckets.assets.block_public_access": False,
    "buckets.assets.enforce_tls": False,
    "buckets.assets.access_logs_bucket": None,
    "network.flow_logs.enabled": False,
    "edge.waf.enabled": False,
    "edge.cdn.logs_bucket": None,
    "api.logging.access_logs": False,
}

AGREE = [
    ("ARCH-DDB-001", "AwsSolutions-DDB3", "tables.main"),
    ("ARCH-KMS-001", "AwsSolutions-KMS5", "security.kms_keys.data"),
    ("ARCH-SMG-001", "AwsSolutions-SMG4", "secrets.jwt_secret"),
    ("ARCH-S3-001", "AwsSolutions-S2", "buckets.assets"),
    ("ARCH-S3-003", "AwsSolutions-S10", "buckets.assets"),
    ("ARCH-S3-005", "AwsSolutions-S1", "buckets.assets"),
    ("ARCH-VPC-001", "AwsSolutions-VPC7", "network.vpc"),
    ("ARCH-CFR-001", "AwsSolutions-CFR2", "edge.cdn"),
    ("ARCH-CFR-004", "AwsSolutions-CFR3", "edge.cdn"),
    ("ARCH-APIG-004", "AwsSolutions-APIG1", "api"),
]
"""(archkit rule, cdk-nag rule, resource): both pass on the reference spec and both fail on the bad one."""


def _nag_violations(doc: dict[str, Any]) -> dict[str, set[str]]:
    """cdk-nag rule ids (without their finding detail) reported per spec path, nag suppressions ignored."""
    from archkit.cdk.app import build
    from archkit.spec import spec_from_dict

    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    doc = copy.deepcopy(doc)
    doc.setdefault("compliance", {})["nag_suppressions"] = []
    spec = spec_from_dict(doc)
    with tempfile.TemporaryDirectory(prefix="archkit-nag-") as out:
        built = build(spec, spec_dir=ROOT / "specs", outdir=out, nag=True)
        try:
            built.app.synth()
        except RuntimeError as exc:  # cdk-nag errors fail synthesis; the report is written first
            if "ValidationFailed" not in str(exc):
                raise
        report_file = Path(out) / "validation-report.json"
        report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.is_file() else {}
    owners = sorted(
        ((c.node.path, path) for path, constructs in built.ctx.registry.items() for c in constructs),
        key=lambda item: -len(item[0]),
    )
    found: dict[str, set[str]] = {}
    for plugin in report.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            rule = violation["ruleName"].split("[", 1)[0]
            for construct in violation["violatingConstructs"]:
                where = construct["constructPath"]
                owner = next(
                    (p for prefix, p in owners if where == prefix or where.startswith(prefix + "/")), where
                )
                found.setdefault(owner, set()).add(rule)
    return found


@pytest.fixture(scope="module")
def reference_doc_module() -> dict[str, Any]:
    return reference_doc()


@pytest.fixture(scope="module")
def good(reference_doc_module: dict[str, Any]) -> tuple[list[Any], dict[str, set[str]]]:
    return results_for(copy.deepcopy(reference_doc_module)), _nag_violations(reference_doc_module)


@pytest.fixture(scope="module")
def exposed(reference_doc_module: dict[str, Any]) -> tuple[list[Any], dict[str, set[str]]]:
    """The reference as it was before issue 14: an internet-facing load balancer open on 443, and the stage
    reachable directly (no origin verification, so no regional web ACL on it)."""
    doc = copy.deepcopy(reference_doc_module)
    doc["network"]["alb"]["internet_facing"] = True
    doc["network"]["security_groups"]["alb"]["ingress"] = [
        {"protocol": "tcp", "port": 443, "cidr": "0.0.0.0/0", "description": "HTTPS from the internet"}
    ]
    del doc["api"]["origin_verify"]
    for methods in doc["api"]["routes"].values():
        for method in methods.values():
            if isinstance(method, dict):
                method.pop("ip_allow_list", None)
    return results_for(doc), _nag_violations(doc)


@pytest.fixture(scope="module")
def bad(reference_doc_module: dict[str, Any]) -> tuple[list[Any], dict[str, set[str]]]:
    doc = copy.deepcopy(reference_doc_module)
    for dotted, value in BAD_CHANGES.items():
        set_in(doc, dotted, value)
    return results_for(doc), _nag_violations(doc)


@pytest.mark.parametrize(("rule", "nag", "resource"), AGREE, ids=[a[0] for a in AGREE])
def test_both_pass_the_reference_spec(rule: str, nag: str, resource: str, good) -> None:
    results, violations = good
    assert statuses(results, rule, resource) and "fail" not in statuses(results, rule, resource)
    assert nag not in violations.get(resource, set()), violations.get(resource)


@pytest.mark.parametrize(("rule", "nag", "resource"), AGREE, ids=[a[0] for a in AGREE])
def test_both_fail_the_bad_spec(rule: str, nag: str, resource: str, bad) -> None:
    results, violations = bad
    assert "fail" in statuses(results, rule, resource)
    assert nag in violations.get(resource, set()), violations.get(resource)


@pytest.fixture(scope="module")
def bad_global_table(reference_doc_module: dict[str, Any]) -> tuple[list[Any], dict[str, set[str]]]:
    """Execution logging off, and PITR off on the (global) main table."""
    doc = copy.deepcopy(reference_doc_module)
    set_in(doc, "api.logging.execution_level", "OFF")
    set_in(doc, "tables.main.point_in_time_recovery", False)
    return results_for(doc), _nag_violations(doc)


def test_execution_logging_off_fails_both(bad_global_table) -> None:
    """A spec with `execution_level: OFF` (no CloudWatch role needed) must synthesize; both tools flag it."""
    results, violations = bad_global_table
    assert "fail" in statuses(results, "ARCH-APIG-005", "api")
    assert "AwsSolutions-APIG6" in violations["api"]


def test_documented_difference_pitr_on_global_tables(bad_global_table) -> None:
    """cdk-nag's DDB3 inspects `AWS::DynamoDB::Table` only; the seed's multi-region table is a global table,
    whose missing PITR archkit reports and cdk-nag does not."""
    results, violations = bad_global_table
    assert statuses(results, "ARCH-DDB-001", "tables.main") == ["fail"]
    assert "AwsSolutions-DDB3" not in violations.get("tables.main", set())


def test_both_flag_the_log_bucket_without_access_logs(good) -> None:
    results, violations = good
    assert statuses(results, "ARCH-S3-005", "buckets.logs") == ["fail"]
    assert "AwsSolutions-S1" in violations["buckets.logs"]
    assert statuses(results, "ARCH-APIG-005", "api") == ["pass"]
    assert "AwsSolutions-APIG6" not in violations["api"]


@pytest.mark.parametrize(
    ("rule", "nag", "resource"),
    [("ARCH-CFR-003", "AwsSolutions-CFR4", "edge.cdn"), ("ARCH-APIG-002", "AwsSolutions-APIG2", "api")],
    ids=["ARCH-CFR-003", "ARCH-APIG-002"],
)
def test_both_pass_where_the_spec_cannot_express_the_mistake(
    rule: str, nag: str, resource: str, good
) -> None:
    """The spec offers only TLS 1.2 policies, and validates every body it models: both tools pass."""
    results, violations = good
    assert statuses(results, rule, resource) and set(statuses(results, rule, resource)) == {"pass"}
    assert nag not in violations.get(resource, set())


def test_both_pass_a_stage_with_its_own_web_acl(good) -> None:
    """The reference's stage has a regional web ACL (origin verification, IP allow lists): both pass."""
    results, violations = good
    assert statuses(results, "ARCH-APIG-007", "api") == ["pass"]
    assert "AwsSolutions-APIG3" not in violations.get("api", set())


def test_both_fail_a_stage_only_behind_cloudfront(exposed) -> None:
    """Without origin verification the execute-api endpoint bypasses CloudFront's web ACL: ARCH-APIG-007 fails
    the stage as AwsSolutions-APIG3 does, and says why (issue 14: the suppression's reason was enforced
    nowhere)."""
    results, violations = exposed
    (result,) = [r for r in results if r.rule_id == "ARCH-APIG-007" and r.resource == "api"]
    assert (result.status, result.attribute) == ("fail", "web_acl")
    assert "bypasses edge.cdn's web ACL" in result.message
    assert "AwsSolutions-APIG3" in violations["api"]


def test_documented_difference_geo_blocking_in_waf(good) -> None:
    """ARCH-WAF-005 checks geo-blocking in the web ACL; AwsSolutions-CFR1 wants a CloudFront geo
    restriction."""
    results, violations = good
    assert statuses(results, "ARCH-WAF-005", "edge.waf") == ["pass"]
    assert "AwsSolutions-CFR1" in violations["edge.cdn"]


def test_documented_difference_public_methods(good) -> None:
    """ARCH-APIG-001 accepts the methods the spec declares public; AwsSolutions-APIG4 flags them."""
    results, violations = good
    login = statuses(results, "ARCH-APIG-001", "api", "methods.POST /api/auth/login.authorizer")
    assert login == ["pass"]
    assert "fail" not in statuses(results, "ARCH-APIG-001", "api")
    assert "AwsSolutions-APIG4" in violations["api"]


def test_documented_difference_https_open_to_the_internet(exposed) -> None:
    """ARCH-SG-001 allows 0.0.0.0/0 on 443 (a public ALB's listener), as Security Hub EC2.18 does;
    AwsSolutions-EC23 flags any 0.0.0.0/0 ingress."""
    results, violations = exposed
    assert statuses(results, "ARCH-SG-001", "network.security_groups.alb") == ["pass"]
    assert "AwsSolutions-EC23" in violations["network.security_groups.alb"]
