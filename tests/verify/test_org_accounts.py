"""verify for an organisation on the emulator: several account ids (the reference deployed in one, others
empty) and two regions through assumed roles on one moto server, one target denied (not_checked, exit 3,
the others reported), and Security Hub kept in step across runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from typer.testing import CliRunner

from archkit.cli import app
from archkit.verify.collect.aws import Aws
from archkit.verify.desired import desired_states
from archkit.verify.org import aws_for, verify_targets
from archkit.verify.report.json_report import report_dict
from archkit.verify.securityhub import client_for, import_report
from archkit.verify.targets import load_targets
from shared import EMULATOR_NOT_CHECKED, REFERENCE, emulator_credentials, reference_doc, write_spec

EMPTY, WEST, DENIED = "222222222222", "333333333333", "999999999999"


def west_doc() -> dict[str, Any]:
    """The reference with an environment `west` in us-west-2 (its own zones and subnets)."""
    doc = reference_doc()
    net = doc["network"]
    doc["environments"]["west"] = {
        "region": "us-west-2",
        "availability_zones": [az.replace("us-east-1", "us-west-2") for az in doc["availability_zones"]],
        "network": {
            key: [{**s, "az": s["az"].replace("us-east-1", "us-west-2")} for s in net[key]]
            for key in ("public_subnets", "private_subnets")
        },
        "tables": {"*": {"replicas": []}},
    }
    return doc


@pytest.fixture(scope="module")
def org_files(tmp_path_factory, reference_account) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("org")
    spec = write_spec(west_doc(), directory)
    targets = directory / "spec.targets.yaml"
    targets.write_text(
        "concurrency: 3\n"
        "deployments:\n"
        f"  - {{environment: prod, accounts: ['{reference_account.account_id}', '{EMPTY}', '{DENIED}']}}\n"
        f"  - {{environment: west, accounts: ['{WEST}'], regions: [us-west-2]}}\n"
    )
    return spec, targets


def deny_role_of(account: str):
    """A before-call hook answering AssumeRole into ``account`` as AWS does when the role or its trust is
    missing (403 AccessDenied)."""

    def hook(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if model.name == "AssumeRole" and f":{account}:" in str(params.get("body", {}).get("RoleArn", "")):
            error = {
                "Error": {
                    "Code": "AccessDenied",
                    "Message": f"not authorized to perform sts:AssumeRole on {account}",
                },
                "ResponseMetadata": {"HTTPStatusCode": 403},
            }
            return AWSResponse("https://sts.amazonaws.com", 403, {}, None), error
        return None

    return hook


@pytest.fixture(scope="module")
def combined(org_files, reference_account, monkeypatch_module) -> tuple[Any, dict[str, Any]]:
    spec, _ = org_files  # its targets file is found beside it (spec.targets.yaml)
    original = Aws.__post_init__

    def with_denial(self: Aws) -> None:
        original(self)
        self.hooks.append(("before-call", deny_role_of(DENIED)))

    monkeypatch_module.setattr(Aws, "__post_init__", with_denial)
    args = ["verify", "--all-targets", "--spec", str(spec), "--endpoint-url", reference_account.endpoint]
    with emulator_credentials():
        result = CliRunner().invoke(app, [*args, "--format", "json", "--calls-per-second", "0"])
    return result, json.loads(result.stdout)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_all_targets_reports_each_deployment_with_its_exit_code(combined, reference_account):
    result, doc = combined
    assert result.exit_code == 3, result.output
    ref = reference_account.account_id
    assert [(t["environment"], t["account"], t["region"], t["exit_code"]) for t in doc["targets"]] == [
        ("prod", ref, "us-east-1", 0),
        ("prod", EMPTY, "us-east-1", 1),
        ("prod", DENIED, "us-east-1", 3),
        ("west", WEST, "us-west-2", 1),
    ]
    assert doc["exit_code"] == 3
    denied = next(t for t in doc["targets"] if t["account"] == DENIED)
    assert "AssumeRole" in denied["error"] and "access denied" in denied["error"]
    assert f"prod/{DENIED}/us-east-1: AssumeRole: access denied" in result.stderr


def test_every_finding_names_its_deployment(combined, reference_account, reference_run):
    _, doc = combined
    by_account: dict[str, list[dict[str, Any]]] = {}
    for f in doc["findings"]:
        by_account.setdefault(f["deployment"]["account"], []).append(f)
    ref = reference_account.account_id
    # the deployed account is clean (only what the emulator cannot hold is not checked), and read through
    # the assumed role exactly as verify reads it directly
    live = [f for f in by_account[ref] if not f.get("suppressed")]
    assert {(f["resource"], f.get("attribute")) for f in live} == EMULATOR_NOT_CHECKED
    direct = report_dict(reference_run.report)["findings"]
    assert [{k: v for k, v in f.items() if k != "deployment"} for f in by_account[ref]] == direct
    assert {f["deployment"]["region"] for f in by_account[ref]} == {"us-east-1"}
    # an empty account misses the resources of the spec, with the names of that environment (S3 bucket names
    # are global: moto answers for the reference account's buckets in any account)
    missing = {f["resource"]: f["physical_id"] for f in by_account[EMPTY] if f.get("change") == "missing"}
    prod = reference_account.spec
    assert missing["tables.main"] == "shop-prod-main" and missing["api"] == "shop-prod-api"
    assert set(missing) <= {s.path for s in desired_states(prod)}
    west = {f["resource"]: f for f in by_account[WEST] if f.get("change") == "missing"}
    assert west["tables.main"]["physical_id"] == "shop-west-main"
    assert {f["deployment"]["region"] for f in by_account[WEST]} == {"us-west-2"}
    # the denied account: every resource not_checked for that reason, nothing judged
    denied = by_account[DENIED]
    assert {f["kind"] for f in denied} == {"not_checked"}
    assert {f["reason"] for f in denied} == {"AccessDenied"}
    assert {f["resource"] for f in denied} == {s.path for s in desired_states(prod)}


def test_security_hub_import_updates_and_resolves(org_files, reference_account):
    """Imported, re-imported (same ids, no duplicates, CreatedAt kept), then the fix resolves the finding."""
    from archkit.spec import load_environments

    spec, targets_file = org_files
    environments = load_environments(spec)
    target = next(
        t
        for t in load_targets(targets_file, environments).targets
        if t.account == reference_account.account_id
    )

    def run_and_import(now: str) -> Any:
        aws = aws_for(target, endpoint_url=reference_account.endpoint, calls_per_second=0)
        org = verify_targets(environments, "spec.yaml", [target], aws=lambda _: aws)
        run = org.runs[0]
        client = client_for(aws, target.region)
        return run, import_report(client, target.deployment(), run.report, now=now), client

    with emulator_credentials():
        run_and_import("2025-05-31T00:00:00.000Z")  # the clean account's findings (others may have imported)
        with reference_account.changed("pitr-off"):
            first_run, first, client = run_and_import("2025-06-01T00:00:00.000Z")
            second_run, second, _ = run_and_import("2025-06-02T00:00:00.000Z")
        _, third, _ = run_and_import("2025-06-03T00:00:00.000Z")
        listed = client.get_findings(MaxResults=100)["Findings"]

    from archkit.verify.report.asff import finding_id

    pitr = [f for f in first_run.report.findings if f.attribute == "point_in_time_recovery"]
    assert sorted((f.kind, f.resource) for f in pitr) == [
        ("compliance", "tables.main"),
        ("drift", "tables.main"),
    ]
    pitr_ids = sorted(finding_id("shop", target.deployment(), f) for f in pitr)
    # only the change's findings are new; the clean account's are updated, nothing resolved yet
    assert sorted(first.created) == pitr_ids and first.resolved == [] and first.failed == []
    assert second.created == [] and sorted(second.updated) == sorted(first.created + first.updated)
    assert second_run.report.findings == first_run.report.findings
    # the fix resolves exactly the change's findings
    assert third.resolved == pitr_ids and third.created == []
    stored = {f["Id"]: f for f in listed}
    assert len(listed) == len(stored), "no duplicates"
    for pitr_id in pitr_ids:
        assert stored[pitr_id]["RecordState"] == "ARCHIVED"
        assert stored[pitr_id]["CreatedAt"] == "2025-06-01T00:00:00.000Z"
        assert stored[pitr_id]["AwsAccountId"] == reference_account.account_id
    compliance = [stored[i] for i in pitr_ids if "Compliance" in stored[i]]
    assert [f["Compliance"]["Status"] for f in compliance] == ["PASSED"]
    kept = third.updated[0]
    assert stored[kept]["RecordState"] == "ACTIVE" and stored[kept]["UpdatedAt"] == "2025-06-03T00:00:00.000Z"


def test_one_account_as_asff_names_the_account_it_read(reference_account, reference_run):
    args = ["verify", "--spec", str(REFERENCE), "--endpoint-url", reference_account.endpoint]
    with emulator_credentials():
        result = CliRunner().invoke(app, [*args, "--format", "asff", "--regions", "us-west-2"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["Findings"]
    assert {f["AwsAccountId"] for f in findings} == {reference_account.account_id}
    assert [f["Resources"][0]["Details"]["Other"]["archkit:id"] for f in findings] == [
        f.resource for f in reference_run.report.findings
    ]
    assert {f["ProductFields"]["archkit/environment"] for f in findings} == {"prod"}
