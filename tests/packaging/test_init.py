"""`archkit init` in-process: what it writes, what it refuses, and that the project it makes is valid."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from archkit.cli import app
from archkit.init import FILES, README_BEGIN
from archkit.spec import load_spec

runner = CliRunner()
TEMPLATES = Path(importlib.util.find_spec("archkit.init").origin).parent / "templates"  # type: ignore[arg-type,union-attr]


def init(*args: str):
    return runner.invoke(app, ["init", *args])


def test_init_writes_a_project_whose_spec_loads_and_names_its_code(tmp_path):
    result = init(str(tmp_path / "p"), "--project", "acme", "--region", "eu-central-1")
    assert result.exit_code == 0, result.output
    project = tmp_path / "p"
    written = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert written == sorted(FILES)
    spec = load_spec(project / "archkit.yaml")
    assert (spec.project, spec.region) == ("acme", "eu-central-1")
    assert spec.availability_zones == ["eu-central-1a", "eu-central-1b"]
    assert spec.name_of("items") == "acme-prod-items"
    # Each function's handler is a real function in the code directory the spec names.
    for key, function in spec.functions.items():
        module, _, name = function.handler.rpartition(".")
        source = project / function.code / (module.replace(".", "/") + ".py")
        assert f"def {name}(event, context)" in source.read_text(), key
    for text in (p.read_text() for p in project.rglob("*") if p.is_file()):
        assert "<<" not in text and ">>" not in text


def test_every_template_is_used():
    assert sorted(p.name for p in TEMPLATES.iterdir()) == sorted(FILES.values())


def test_ci_workflow_runs_the_checks_and_uploads_sarif(tmp_path):
    init(str(tmp_path), "--project", "acme")
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "archkit.yml").read_text())
    runs = [s.get("run", "") for s in workflow["jobs"]["architecture"]["steps"]]
    assert "archkit verify --static --format sarif --output archkit.sarif" in runs
    assert "archkit validate" in runs and "archkit generate" in runs
    (upload,) = [s for s in workflow["jobs"]["architecture"]["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == "archkit.sarif"
    assert workflow["permissions"]["security-events"] == "write"


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    assert init(str(tmp_path), "--project", "acme").exit_code == 0
    (tmp_path / "archkit.yaml").write_text("# mine\n")
    (tmp_path / ".gitignore").unlink()
    result = init(str(tmp_path), "--project", "other")
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output and "archkit.yaml" in result.output
    assert "--force" in result.output
    assert (tmp_path / "archkit.yaml").read_text() == "# mine\n"
    assert not (tmp_path / ".gitignore").exists()  # not even the missing files: all or nothing


def test_force_overwrites(tmp_path):
    init(str(tmp_path), "--project", "acme")
    (tmp_path / "archkit.yaml").write_text("# mine\n")
    result = init(str(tmp_path), "--project", "other", "--force")
    assert result.exit_code == 0, result.output
    assert load_spec(tmp_path / "archkit.yaml").project == "other"
    assert (tmp_path / "README.md").read_text().count(README_BEGIN) == 1


def test_an_existing_readme_gets_the_section_appended(tmp_path):
    (tmp_path / "README.md").write_text("# My service\n\nIt serves.\n")
    result = init(str(tmp_path), "--project", "acme")
    assert result.exit_code == 0, result.output
    readme = (tmp_path / "README.md").read_text()
    assert readme.startswith("# My service\n\nIt serves.\n\n" + README_BEGIN)
    assert "archkit verify --static" in readme
    assert "appended" in result.output


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--project", "Bad_Name", "--project 'Bad_Name': expected a project name (a-z, 0-9 and -"),
        ("--project", "a" * 21, "at most 20 characters"),
        ("--region", "mars-1", "--region 'mars-1': 'mars-1' is not an AWS region name"),
    ],
)
def test_bad_options_fail_with_the_loaders_message(tmp_path, option, value, expected):
    args = {"--project": "acme", "--region": "us-east-1", option: value}
    result = init(str(tmp_path / "p"), *(x for kv in args.items() for x in kv))
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (tmp_path / "p").exists()


def test_the_project_name_is_required(tmp_path):
    result = init(str(tmp_path))
    assert result.exit_code == 2
    assert "--project" in result.output


def test_commands_find_archkit_yaml_then_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("ARCHKIT_SPEC", raising=False)
    monkeypatch.chdir(tmp_path)
    init(".", "--project", "acme")
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["spec"] == "archkit.yaml"
    other = tmp_path / "other"
    init(str(other), "--project", "other")
    monkeypatch.setenv("ARCHKIT_SPEC", str(other / "archkit.yaml"))
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert json.loads(result.output)["environments"][0]["project"] == "other"


def test_no_spec_anywhere_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("ARCHKIT_SPEC", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "no spec found here (looked for ./archkit.yaml and specs/reference.yaml)" in text
    assert "pass --spec FILE, or run `archkit init --project NAME`" in text


@pytest.fixture
def moto_server():
    """A moto server of its own (the handler test needs only an empty account)."""
    from archkit.emulate.server import spawn_server
    from shared import emulator_credentials

    server = spawn_server()
    try:
        with emulator_credentials():
            yield server.endpoint
    finally:
        server.stop()


@pytest.mark.slow
def test_the_handler_lists_the_items_of_the_table(tmp_path, moto_server, monkeypatch):
    """The scaffolded handler, run against a DynamoDB table of the spec's physical name on moto."""
    import boto3

    init(str(tmp_path), "--project", "inittest")
    spec = load_spec(tmp_path / "archkit.yaml")
    table_name = spec.name_of("items")
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_server, region_name=spec.region)
    dynamodb.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        dynamodb.put_item(TableName=table_name, Item={"id": {"S": "first"}, "name": {"S": "A thing"}})
        monkeypatch.setenv("TABLE_NAME", table_name)
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
        monkeypatch.setenv("AWS_DEFAULT_REGION", spec.region)
        module_spec = importlib.util.spec_from_file_location("init_items", tmp_path / "lambda" / "items.py")
        assert module_spec and module_spec.loader
        items = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(items)

        ok = items.handler({"queryStringParameters": {"limit": "5"}}, None)
        assert ok["statusCode"] == 200
        assert json.loads(ok["body"]) == {"items": [{"id": "first", "name": "A thing"}]}
        bad = items.handler({"queryStringParameters": {"limit": "many"}}, None)
        assert bad["statusCode"] == 400
        assert json.loads(bad["body"]) == {"message": "limit must be a whole number"}
    finally:
        dynamodb.delete_table(TableName=table_name)


def test_validate_counts_agree_with_their_numbers(tmp_path):
    init(str(tmp_path), "--project", "acme")
    result = runner.invoke(app, ["validate", str(tmp_path / "archkit.yaml")])
    assert result.exit_code == 0, result.output
    assert "18 resources (1 function, 1 table, 1 bucket, 1 API method)" in " ".join(result.output.split())


def test_count_wording():
    from archkit.wording import count

    assert [count(0, "table"), count(1, "table"), count(2, "table")] == ["0 tables", "1 table", "2 tables"]
    assert count(3, "API method") == "3 API methods"
    assert count(2, "policy", "policies") == "2 policies"


def test_every_known_region_gets_zones_it_has(tmp_path):
    """The CDK preflight (zones of the region, code directories, network) accepts the project anywhere."""
    from archkit.cdk.preflight import check_buildable
    from archkit.cdk.regions import AZ_LETTERS

    for region in AZ_LETTERS:
        folder = tmp_path / region
        assert init(str(folder), "--project", "acme", "--region", region).exit_code == 0
        spec = load_spec(folder / "archkit.yaml")
        check_buildable(spec, folder)
        assert {s.az for s in spec.network.private_subnets} == set(spec.availability_zones)
    assert load_spec(tmp_path / "ap-northeast-1" / "archkit.yaml").availability_zones == [
        "ap-northeast-1a",
        "ap-northeast-1c",
    ]
