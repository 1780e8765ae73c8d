"""verify for an organisation, without an account: the targets file (located errors, exit 2), the member
role's template (`--print-iam-role`), and ASFF against Security Hub's own request model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archkit.cli import app
from archkit.spec import load_environments
from archkit.verify.iam_policy import policy_document
from archkit.verify.report.asff import asff_findings, finding_id, id_prefix
from archkit.verify.run import verify_static
from archkit.verify.targets import TargetsError, default_targets_path, load_targets

from .conftest import REFERENCE

ENVIRONMENTS = load_environments(REFERENCE)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.targets.yaml"
    path.write_text(text)
    return path


def test_the_reference_targets_file_gives_one_target_per_account_and_region():
    found = load_targets(default_targets_path(REFERENCE), ENVIRONMENTS)
    assert default_targets_path(REFERENCE).name == "reference.targets.yaml"
    assert [(t.key, t.role_arn) for t in found.targets] == [
        ("prod/123456789012/us-east-1", "arn:aws:iam::123456789012:role/archkit-verify"),
        ("dev/210987654321/us-east-1", "arn:aws:iam::210987654321:role/archkit-verify"),
    ]
    assert found.settings.verifier_account == "111111111111"


def test_targets_errors_name_the_file_line_and_path(tmp_path):
    path = write(
        tmp_path,
        "deployments:\n"
        "  - environment: prd\n"
        "    accounts: ['123456789012']\n"
        "  - environment: prod\n"
        "    accounts: ['1234']\n"
        "    regions: [eu-west-1]\n"
        "    rol_name: x\n",
    )
    with pytest.raises(TargetsError) as caught:
        load_targets(path, ENVIRONMENTS)
    assert [str(i) for i in caught.value.issues] == [f"{path}:7:5: deployments.1.rol_name: unknown key"]
    path.write_text(path.read_text().replace("    rol_name: x\n", ""))
    with pytest.raises(TargetsError) as caught:
        load_targets(path, ENVIRONMENTS)
    assert [str(i) for i in caught.value.issues] == [
        f"{path}:2:18: deployments.0.environment: environment 'prd' is not in the spec (declared: dev, prod)",
        f"{path}:5:16: deployments.1.accounts.0: '1234' is not a 12-digit account id",
        f"{path}:6:15: deployments.1.regions.0: environment 'prod' is in us-east-1 (availability zones "
        "us-east-1a, us-east-1b, us-east-1c); declare an environment for eu-west-1",
    ]


def test_a_bad_targets_file_is_exit_2_without_traceback(tmp_path):
    path = write(tmp_path, "deployments:\n  - {environment: staging, accounts: ['123456789012']}\n")
    result = CliRunner().invoke(
        app, ["verify", "--all-targets", "--spec", str(REFERENCE), "--targets", str(path)]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {path}:2:19: deployments.0.environment: environment 'staging' is not in the spec "
        "(declared: dev, prod)"
    ]
    missing = CliRunner().invoke(
        app, ["verify", "--all-targets", "--spec", str(REFERENCE), "--targets", str(tmp_path / "none.yaml")]
    )
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    assert "none.yaml: <root>: no targets file" in missing.output


def test_print_iam_role_holds_the_read_policy_and_trusts_the_verifier(tmp_path):
    from cfnlint.api import lint

    result = CliRunner().invoke(app, ["verify", "--print-iam-role", "--spec", str(REFERENCE)])
    assert result.exit_code == 0, result.output
    template = json.loads(result.output)
    assert template["Parameters"]["VerifierAccountId"]["Default"] == "111111111111"
    role = template["Resources"]["ArchkitVerifyRole"]["Properties"]
    assert (
        role["RoleName"] == {"Ref": "RoleName"}
        and template["Parameters"]["RoleName"]["Default"] == "archkit-verify"
    )
    assert role["Policies"][0]["PolicyDocument"] == policy_document()
    imports = role["Policies"][1]["Fn::If"][1]["PolicyDocument"]["Statement"][0]
    assert imports["Action"] == ["securityhub:BatchImportFindings", "securityhub:GetFindings"]
    trust = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"]["AWS"] == {"Fn::Sub": "arn:${AWS::Partition}:iam::${VerifierAccountId}:root"}
    errors = [f"{m.rule.id} {m.message}" for m in lint(result.output, regions=["us-east-1"])]
    assert errors == []


DEPLOYMENT = {"environment": "prod", "account": "123456789012", "region": "us-east-1"}


@pytest.fixture(scope="module")
def static_report():
    report = verify_static(ENVIRONMENTS["prod"], "specs/reference.yaml")
    assert report.findings, "the reference has suppressed findings at least"
    return report


def test_asff_is_a_valid_batch_import_request(static_report):
    """botocore's model of BatchImportFindings is the oracle: required fields, types, enums, lengths."""
    import botocore.session
    from botocore.validate import ParamValidator

    findings = asff_findings([(DEPLOYMENT, static_report)], now="2025-06-01T00:00:00.000Z")
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    report = ParamValidator().validate({"Findings": findings}, shape)
    assert not report.has_errors(), report.generate_report()
    required = model.shape_for("AwsSecurityFinding").required_members
    assert {"SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Title"} <= set(required)
    first, f = findings[0], static_report.findings[0]
    assert first["ProductArn"] == "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default"
    assert first["AwsAccountId"] == "123456789012" and first["Resources"][0]["Region"] == "us-east-1"
    assert first["Id"] == finding_id("shop", DEPLOYMENT, f) and first["Id"].startswith(
        id_prefix("shop", DEPLOYMENT)
    )
    assert first["GeneratorId"] == f"archkit/{f.check_id}"
    assert first["Resources"][0]["Details"]["Other"]["archkit:id"] == f.resource
    assert first["Severity"]["Label"] in {"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"}


def test_asff_ids_are_stable_and_distinct_per_deployment(static_report):
    ids = [f["Id"] for f in asff_findings([(DEPLOYMENT, static_report)])]
    again = [f["Id"] for f in asff_findings([(DEPLOYMENT, static_report)])]
    dev = [f["Id"] for f in asff_findings([({**DEPLOYMENT, "account": "210987654321"}, static_report)])]
    assert ids == again and len(set(ids)) == len(ids)
    assert not set(ids) & set(dev)
    assert all(len(i) <= 512 for i in ids)


def test_static_asff_needs_an_account():
    result = CliRunner().invoke(app, ["verify", "--static", "--spec", str(REFERENCE), "--format", "asff"])
    assert result.exit_code == 2
    assert "ASFF needs the account id" in result.output and "Traceback" not in result.output
