"""The installed wheel, outside the checkout: `archkit init`, then every command a new user runs, in that
folder and without --spec; then the commands of the CI workflow init wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from packaging_helpers import archkit_lines_of_workflow

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

PROJECT, REGION = "acme", "eu-west-1"


@pytest.fixture(scope="module")
def project(installed, tmp_path_factory) -> Path:
    """A project made by the installed `archkit init`, then validate, generate, diagram, docs in it."""
    work = tmp_path_factory.mktemp("user")
    result = installed.run("archkit", "init", "shop", "--project", PROJECT, "--region", REGION, cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "shop"


def test_the_installed_archkit_is_the_wheel_not_the_checkout(installed, tmp_path):
    result = installed.run(
        "python", "-c", "import archkit, archkit.init; print(archkit.__file__)", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(installed.venv), result.stdout
    assert installed.run("archkit", "--version", cwd=tmp_path).stdout.strip() == "archkit 0.1.0"


def test_validate_finds_the_init_spec_without_spec_option(installed, project):
    result = installed.run("archkit", "validate", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        f"archkit.yaml is valid: project {PROJECT}, environment prod, 18 resources "
        "(1 function, 1 table, 1 bucket, 1 API method)"
    ) in result.stdout


def test_verify_static_passes_with_the_suppressions_listed(installed, project):
    result = installed.run("archkit", "verify", "--static", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    suppressed = sorted((f["rule_id"], f["resource"]) for f in report["findings"] if f.get("suppressed"))
    assert suppressed == [
        ("ARCH-CFR-004", "edge.cdn"),
        ("ARCH-S3-005", "buckets.web"),
        ("ARCH-SMG-001", "secrets.origin_verify"),
    ]


def test_generate_writes_templates_named_after_the_project(installed, project):
    result = installed.run("archkit", "generate", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    cdk_out = project / "generated" / "cdk.out"
    data = json.loads((cdk_out / f"{PROJECT}-prod-data.template.json").read_text())
    tables = [r["Properties"] for r in data["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert [t["TableName"] for t in tables] == [f"{PROJECT}-prod-items"]
    app = json.loads((cdk_out / f"{PROJECT}-prod-application.template.json").read_text())
    (function,) = [r["Properties"] for r in app["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert function["FunctionName"] == f"{PROJECT}-prod-list-items"
    assert function["Handler"] == "items.handler"
    # The function's asset is the project's own lambda/ folder.
    assets = [p for p in cdk_out.glob("asset.*") if (p / "items.py").is_file()]
    assert assets and (assets[0] / "items.py").read_text() == (project / "lambda" / "items.py").read_text()
    cdk_json = json.loads((project / "generated" / "cdk.json").read_text())
    assert "--spec ../archkit.yaml" in cdk_json["app"]


def test_diagram_draws_the_function_and_the_table(installed, project):
    result = installed.run("archkit", "diagram", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    diagrams = project / "generated" / "diagrams"
    assert "Lambda function list_items · python3.13 · arm64" in (diagrams / "lambda.svg").read_text()
    assert ">list_items</text>" in (diagrams / "lambda-functions.svg").read_text()
    assert f"{PROJECT}&#45;prod&#45;items" in (diagrams / "overview.svg").read_text()
    assert (diagrams / "overview.png").read_bytes().startswith(b"\x89PNG")


def test_docs_writes_the_architecture_pages(installed, project):
    result = installed.run("archkit", "docs", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (project / "docs" / "architecture" / "index.md").read_text()
    assert f"`{PROJECT}-prod-list-items`" in index
    assert (project / "docs" / "architecture" / "diagrams" / "overview.svg").is_file()
    assert "archkit init" in (project / "docs" / "reference" / "cli.md").read_text()


def test_the_ci_workflow_commands_run(installed, project):
    workflow = yaml.safe_load((project / ".github" / "workflows" / "archkit.yml").read_text())
    steps = workflow["jobs"]["architecture"]["steps"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    commands = archkit_lines_of_workflow(workflow)
    assert [c.split()[:2] for c in commands] == [
        ["archkit", "validate"],
        ["archkit", "verify"],
        ["archkit", "generate"],
    ]
    for command in commands:
        result = installed.shell(command, cwd=project)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    sarif = json.loads((project / "archkit.sarif").read_text())
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "archkit"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"ARCH-S3-005", "ARCH-CFR-004"}
