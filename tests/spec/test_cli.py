"""`archkit validate`, `archkit schema` and `archkit --version` through Typer's runner and a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archkit import __version__
from archkit.cli import app
from archkit.cli.spec_commands import schema_text

from .spec_helpers import BAD, GOOD, REFERENCE, ROOT

runner = CliRunner()
SCHEMA_FILE = ROOT / "generated" / "archkit.schema.json"


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def test_validate_reference_prints_one_line_per_environment() -> None:
    result = invoke("validate", str(REFERENCE))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"✓ {REFERENCE} is valid: project shop, environment prod, 61 resources (9 functions"
    )
    # dev runs one NAT gateway instead of three
    assert "environment dev, 59 resources" in lines[1]


def test_validate_defaults_to_env_var_then_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert "specs/reference.yaml is valid" in invoke("validate", env={"ARCHKIT_SPEC": ""}).stdout
    minimal = str(GOOD / "minimal.yaml")
    result = invoke("validate", env={"ARCHKIT_SPEC": minimal})
    assert result.exit_code == 0 and f"{minimal} is valid: project tiny" in result.stdout
    assert invoke("validate", "--spec", minimal, "--env", "prod").stdout.count("is valid") == 1


def test_validate_one_environment() -> None:
    result = invoke("validate", str(GOOD / "multi_env.yaml"), "-e", "dev", "--spec-only")  # no code beside it
    assert result.exit_code == 0
    assert result.stdout.count("is valid") == 1 and "environment dev" in result.stdout


def test_validate_bad_spec_exits_2_with_located_lines() -> None:
    bad = BAD / "several_errors.yaml"
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "error: the spec has 4 problems:"
    assert lines[1].startswith(f"  {bad}:10:14: functions.get_user.timeout: expected a value greater than")
    assert lines[3] == (
        f"  {bad}:19:13: api.routes./api/users.POST.function: unknown function 'add_users'; "
        "did you mean 'add_user'?"
    )
    assert result.stdout == ""


def test_validate_json_format() -> None:
    result = invoke("validate", str(BAD / "unknown_key.yaml"), "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["issues"] == [
        {
            "path": "functions.get_user.memroy",
            "message": "unknown key 'memroy'; did you mean 'memory'?",
            "file": str(BAD / "unknown_key.yaml"),
            "line": 10,
            "column": 5,
        }
    ]
    ok = json.loads(invoke("validate", str(REFERENCE), "-f", "json").stdout)
    assert [e["environment"] for e in ok["environments"]] == ["prod", "dev"]
    assert ok["environments"][0]["counts"] == {"functions": 9, "tables": 1, "buckets": 2, "api_methods": 10}


def test_validate_unknown_environment_and_missing_file(tmp_path: Path) -> None:
    result = invoke("validate", str(REFERENCE), "--env", "staging")
    assert result.exit_code == 2 and "requested environment 'staging'" in result.stderr
    result = invoke("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "spec file not found" in result.stderr


def test_version_and_help() -> None:
    assert invoke("--version").stdout.strip() == f"archkit {__version__}"
    help_text = invoke("validate", "--help").stdout
    assert "--env" in help_text and "--format" in help_text and "SPEC" in help_text
    top = invoke("--help").stdout
    assert "validate" in top and "schema" in top


def test_schema_to_stdout_and_file(tmp_path: Path) -> None:
    result = invoke("schema")
    assert result.exit_code == 0 and json.loads(result.stdout)["title"] == "archkit spec"
    out = tmp_path / "deep" / "schema.json"
    assert invoke("schema", "-o", str(out)).exit_code == 0
    assert out.read_text() == result.stdout


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "run: archkit schema -o generated/archkit.schema.json"
    )
    assert (
        REFERENCE.read_text().splitlines()[2]
        == "# yaml-language-server: $schema=../generated/archkit.schema.json"
    )


def test_schema_accepts_the_reference_spec() -> None:
    import yaml

    jsonschema = pytest.importorskip("jsonschema")
    doc = yaml.safe_load(REFERENCE.read_text())
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    validator.validate(doc)
    # The ALB target shorthand is a list of paths, not a string: the schema takes exactly that.
    assert doc["network"]["alb"]["targets"] == {"get_items": ["/api/items", "/api/items/*"]}
    doc["network"]["alb"]["targets"]["get_items"] = "/api/items"
    assert not validator.is_valid(doc)


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARCHKIT_SPEC": ""}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


def test_real_process_validate_good_and_bad() -> None:
    ok = _run("-m", "archkit", "validate", str(REFERENCE))
    assert ok.returncode == 0 and "environment prod, 61 resources" in ok.stdout
    bad = _run("-m", "archkit", "validate", str(BAD / "malformed_yaml.yaml"))
    assert bad.returncode == 2
    assert f"{BAD / 'malformed_yaml.yaml'}:8:7: <root>: malformed YAML" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout


def test_validate_imports_no_heavy_package() -> None:
    code = (
        "import sys\n"
        "from archkit.cli import main\n"
        "sys.argv = ['archkit', 'validate', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "roots = ('aws_cdk', 'diagrams', 'boto3', 'botocore', 'jsii')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in roots)\n"
        "print('HEAVY', heavy)\n"
    )
    proc = _run("-c", code, str(REFERENCE))
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout


def test_a_deprecated_form_is_one_warning_line_on_stderr(tmp_path: Path) -> None:
    """The doubled suppression (archkit rule and its cdk-nag counterpart) still validates, with one located
    `warning:` line naming what to remove, not Python's warning format."""
    from shared import reference_doc, write_spec

    doc = reference_doc()
    doubled = {"rule": "AwsSolutions-S1", "resource": "buckets.logs", "reason": "the same decision, twice"}
    doc["compliance"]["nag_suppressions"].insert(0, doubled)
    path = write_spec(doc, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "archkit", "validate", "--spec-only", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) >= 1 and all(line.startswith(f"warning: {path}:") for line in warnings), warnings
    assert "compliance.nag_suppressions.0: deprecated: AwsSolutions-S1 on buckets.logs" in warnings[0]
    assert "loader.py" not in result.stderr
