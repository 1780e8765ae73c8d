"""`archkit generate --verifier`: the verifier's two stacks synthesize (once), pass cfn-lint and cdk-nag, fan
out over exactly the targets file's deployments, and the worker's image context holds a working archkit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from archkit.cli import app
from archkit.verify.iam_policy import policy_document
from shared import REFERENCE

STACK, MEMBER = "shop-verifier", "shop-verifier-member-role"
ROLES = ["arn:aws:iam::123456789012:role/archkit-verify", "arn:aws:iam::210987654321:role/archkit-verify"]


@pytest.fixture(scope="module")
def verifier_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("verifier-generated")
    result = CliRunner().invoke(app, ["generate", "--verifier", "--spec", str(REFERENCE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "verifier"


def template(out: Path, stack: str) -> dict[str, Any]:
    return json.loads((out / "cdk.out" / f"{stack}.template.json").read_text())


def of_type(doc: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in doc["Resources"].values() if r["Type"] == resource_type]


def test_cfn_lint_and_cdk_nag_pass(verifier_out):
    from cfnlint.api import lint

    for stack in (STACK, MEMBER):
        text = (verifier_out / "cdk.out" / f"{stack}.template.json").read_text()
        errors = [
            f"{m.rule.id} {m.message}"
            for m in lint(text, regions=["us-east-1"])
            if m.rule.severity == "error"
        ]
        assert errors == [], stack
    report = json.loads((verifier_out / "cdk.out" / "validation-report.json").read_text())
    # cdk-nag's AwsSolutions pack fails the synthesis (and the fixture) on any unacknowledged finding
    assert {(p["conclusion"], len(p["violations"])) for p in report["pluginReports"]} == {("success", 0)}


def test_schedule_map_and_worker_cover_exactly_the_targets(verifier_out):
    doc = template(verifier_out, STACK)
    (schedule,) = of_type(doc, "AWS::Scheduler::Schedule")
    assert schedule["ScheduleExpression"] == "rate(1 day)"
    assert json.loads(schedule["Target"]["Input"])["targets"] == [
        {
            "environment": "prod",
            "account": "123456789012",
            "region": "us-east-1",
            "role_name": "archkit-verify",
        },
        {
            "environment": "dev",
            "account": "210987654321",
            "region": "us-east-1",
            "role_name": "archkit-verify",
        },
    ]
    (machine,) = of_type(doc, "AWS::StepFunctions::StateMachine")
    definition = "".join(
        p if isinstance(p, str) else "<ref>" for p in machine["DefinitionString"]["Fn::Join"][1]
    )
    states = json.loads(definition)["States"]["EachTarget"]
    assert (states["Type"], states["ItemsPath"], states["MaxConcurrency"]) == ("Map", "$.targets", 4)
    catch = states["ItemProcessor"]["States"]["VerifyTarget"]["Catch"][0]
    assert catch["Next"] == "ReportFailure"
    assumes = [
        s["Resource"]
        for p in of_type(doc, "AWS::IAM::Policy")
        for s in p["PolicyDocument"]["Statement"]
        if s["Action"] == "sts:AssumeRole"
    ]
    assert assumes == [ROLES]
    (function,) = of_type(doc, "AWS::Lambda::Function")
    assert function["PackageType"] == "Image" and function["Timeout"] == 900
    env = function["Environment"]["Variables"]
    assert env["ARCHKIT_SPEC"] == "/var/task/spec/reference.yaml"
    (bucket,) = [b for b in of_type(doc, "AWS::S3::Bucket") if "LoggingConfiguration" in b]
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert rule["SSEAlgorithm"] == "aws:kms"
    assert len(of_type(doc, "AWS::SQS::Queue")) == 1 and len(of_type(doc, "AWS::SNS::Topic")) == 1


def test_member_role_is_the_printed_template(verifier_out):
    doc = template(verifier_out, MEMBER)
    role = doc["Resources"]["ArchkitVerifyRole"]["Properties"]
    assert role["Policies"][0]["PolicyDocument"] == policy_document()
    printed = CliRunner().invoke(app, ["verify", "--print-iam-role", "--spec", str(REFERENCE)]).output
    assert json.loads((verifier_out / "member-role.template.json").read_text()) == json.loads(printed)


def test_the_image_context_runs_the_worker_on_its_own(verifier_out):
    manifest = json.loads((verifier_out / "cdk.out" / f"{STACK}.assets.json").read_text())
    (image,) = manifest["dockerImages"].values()
    context = verifier_out / "cdk.out" / image["source"]["directory"]
    dockerfile = (context / "Dockerfile").read_text()
    assert dockerfile.startswith("FROM public.ecr.aws/lambda/python:3.13\n")
    assert dockerfile.endswith('CMD ["archkit.verifier.worker.handler"]\n')
    pins = (context / "requirements.txt").read_text().splitlines()
    assert f"pydantic=={metadata.version('pydantic')}" in pins
    probe = (
        "import archkit, importlib.util; from archkit.verifier import worker;"
        "from archkit.spec import load_environments;"
        "print(archkit.__file__); print(sorted(load_environments('spec/reference.yaml')));"
        "print(importlib.util.find_spec('archkit.cdk'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(context)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=context, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(context / "archkit" / "__init__.py"), "['dev', 'prod']", "None"]
