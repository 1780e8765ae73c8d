"""defaults.functions, `validate --explain`, mock methods, CORS methods derived from the routes, index
attributes, and the problems `generate` would find, reported by validate (pure Python, no synthesis)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from archkit.cli import app
from archkit.spec import SpecError, load_environments, parse_spec_text, spec_from_dict
from archkit.verify.desired import desired_by_path
from shared import REFERENCE, reference_doc, set_in, write_spec

runner = CliRunner()


def _issues(doc: dict[str, Any], env: str | None = None) -> list[tuple[str, int | None, str]]:
    """(path, line, message) of every issue of ``doc`` written as YAML text (so issues are located)."""
    with pytest.raises(SpecError) as caught:
        parse_spec_text(yaml.safe_dump(doc, sort_keys=False), "spec.yaml", env)
    return [(i.path, i.line, i.message) for i in caught.value.issues]


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _at(text: str, needle: str, value: str | None = None) -> str:
    """`line:column` of ``value`` (default: the needle) on the first line holding ``needle``."""
    line = _line_of(text, needle)
    return f"{line}:{text.splitlines()[line - 1].index(value or needle) + 1}"


# --- defaults ------------------------------------------------------------------------------------------


def _expanded(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with its function defaults written into every function by hand, and no defaults section."""
    out = reference_doc() if doc is None else json.loads(json.dumps(doc))
    defaults = out.pop("defaults")["functions"]
    for fn in out["functions"].values():
        for key, value in defaults.items():
            fn.setdefault(key, value)
    return out


def test_reference_defaults_mean_what_the_repeated_values_meant() -> None:
    doc = reference_doc()
    assert set(doc["defaults"]["functions"]) == {"code", "memory", "timeout", "layers", "security_groups"}
    for env in ("prod", "dev"):
        with_defaults, by_hand = spec_from_dict(doc, env), spec_from_dict(_expanded(doc), env)
        assert with_defaults.functions == by_hand.functions
        assert with_defaults.model_dump(exclude={"defaults"}) == by_hand.model_dump(exclude={"defaults"})
    prod, dev = spec_from_dict(doc), spec_from_dict(doc, "dev")
    assert prod.functions["get_user"].memory == 512  # the function's own value wins
    assert prod.functions["authorizer"].memory == 256  # the default
    assert prod.functions["authorizer"].layers == ["common"]  # a list replaces the default list
    assert prod.functions["auth"].layers == ["common", "aws_sdk", "db_drivers"]
    assert prod.functions["rotate_secret"].layers == ["common", "aws_sdk"]
    assert dev.functions["get_user"].memory == 256  # environment override (functions.*) beats both


def test_environment_maps_merge_key_by_key_and_overrides_of_defaults_apply() -> None:
    doc = reference_doc()
    doc["defaults"]["functions"]["environment"] = {"LOG_LEVEL": "info", "ENVIRONMENT": "ignored"}
    doc["environments"]["dev"]["defaults"] = {
        "functions": {"environment": {"LOG_LEVEL": "debug"}, "timeout": 20}
    }
    prod, dev = spec_from_dict(doc), spec_from_dict(doc, "dev")
    assert prod.functions["authorizer"].environment == {"ENVIRONMENT": "${environment}", "LOG_LEVEL": "info"}
    assert dev.functions["authorizer"].environment["LOG_LEVEL"] == "debug"
    assert dev.functions["rotate_secret"].timeout == 30  # its own value still wins
    assert dev.functions["get_user"].timeout == 20 and prod.functions["get_user"].timeout == 10


def test_null_default_means_no_default() -> None:
    doc = reference_doc()
    doc["defaults"]["functions"]["runtime"] = None
    assert spec_from_dict(doc).functions["auth"].runtime == "python3.12"


@pytest.mark.parametrize(
    ("key", "value", "path", "fragment"),
    [
        ("memory", 99999, "defaults.functions.memory", "expected a value less than or equal to 10240"),
        ("security_groups", ["lambdx"], "defaults.functions.security_groups.0", "did you mean 'lambda'?"),
        ("runtime", "python3.21", "defaults.functions.runtime", "expected one of python3.11"),
        ("grants", {"tables.main": "read"}, "defaults.functions", "grants cannot have a default"),
        ("memroy", 512, "defaults.functions.memroy", "unknown key 'memroy'; did you mean 'memory'?"),
    ],
)
def test_a_bad_default_is_reported_once_at_the_default(
    key: str, value: Any, path: str, fragment: str
) -> None:
    doc = reference_doc()
    for fn in doc["functions"].values():  # every function inherits it
        for own in ("memory", "security_groups", "runtime"):
            fn.pop(own, None)
    doc["defaults"]["functions"][key] = value
    text = yaml.safe_dump(doc, sort_keys=False)
    issues = _issues(doc)
    assert len(issues) == 1, issues
    [(found_path, line, message)] = issues
    assert found_path == path and fragment in message
    assert line is not None and line > _line_of(text, "defaults:")


def test_explain_shows_each_value_and_where_it_came_from() -> None:
    text = REFERENCE.read_text()
    result = runner.invoke(app, ["validate", str(REFERENCE), "--env", "dev", "--explain"])
    assert result.exit_code == 0, result.output
    block = result.output.split("functions.authorizer [environment dev]\n")[1].split("\nfunctions.")[0]
    rows = {line.split()[0]: line for line in block.splitlines()}
    defaults_line = _line_of(text, "    code: lambda/app")
    assert f"defaults  {REFERENCE}:{defaults_line}:5  defaults.functions.code" in rows["code"]
    assert (
        "environment override" in rows["memory"] and "environments.dev.functions.*.memory" in rows["memory"]
    )
    assert f"function  {REFERENCE}:" in rows["handler"] and "functions.authorizer.handler" in rows["handler"]
    assert rows["runtime"].split()[1:] == ['"python3.12"', "archkit", "default"]
    assert "functions.authorizer.environment.ENVIRONMENT" in rows["environment.ENVIRONMENT"]


def test_explain_json() -> None:
    result = runner.invoke(
        app, ["validate", str(REFERENCE), "--env", "prod", "--explain", "--format", "json"]
    )
    rows = json.loads(result.output)["explain"]["prod"]
    timeout = next(r for r in rows if r["function"] == "process_stream" and r["field"] == "timeout")
    assert (timeout["value"], timeout["origin"], timeout["path"]) == (
        60,
        "function",
        "functions.process_stream.timeout",
    )
    layers = next(r for r in rows if r["function"] == "get_user" and r["field"] == "layers")
    assert (layers["origin"], layers["path"]) == ("defaults", "defaults.functions.layers")


# --- mock methods --------------------------------------------------------------------------------------


def test_reference_health_check_is_a_mock_method() -> None:
    spec = load_environments(REFERENCE)["prod"]
    health = spec.api.routes["/api/health"]["GET"]
    assert (health.integration, health.function, health.mock and health.mock.body_text()) == (
        "mock",
        None,
        '{"status":"ok"}',
    )
    state = desired_by_path(spec)["api"]
    method = state.methods["GET /api/health"]  # type: ignore[attr-defined]
    assert (method.integration, method.function, method.mock_status) == ("mock", None, 200)
    assert method.response_templates == {"application/json": '{"status":"ok"}'}


@pytest.mark.parametrize(
    ("method", "path", "fragment"),
    [
        (
            {"function": "auth", "mock": {"status": 200}},
            "api.routes|/api/health|GET|function",
            "remove `function`",
        ),
        (
            {"integration": "mock", "function": "auth"},
            "api.routes|/api/health|GET|function",
            "remove `function`",
        ),
        ({"authorizer": "none"}, "api.routes|/api/health|GET|function", "or `mock: {status, body}`"),
        (
            {"function": "auth", "integration": "proxy", "mock": {}},
            "api.routes|/api/health|GET|mock",
            "integration: mock",
        ),
        ({"mock": {"status": 99}}, "api.routes|/api/health|GET|mock|status", "greater than or equal to 200"),
        ({"mock": {"sttus": 200}}, "api.routes|/api/health|GET|mock|sttus", "did you mean 'status'?"),
    ],
)
def test_bad_mock_methods(method: dict[str, Any], path: str, fragment: str) -> None:
    doc = reference_doc()
    doc["api"]["routes"]["/api/health"]["GET"] = method
    issues = _issues(doc)
    assert [(p, m) for p, _, m in issues if fragment in m] and len(issues) == 1, issues
    assert issues[0][0] == path.replace("|", ".") and issues[0][1] is not None


def test_an_options_route_collides_with_cors() -> None:
    doc = reference_doc()
    doc["api"]["routes"]["/api/health"]["OPTIONS"] = {"mock": {}, "authorizer": "none"}
    [(path, _, message)] = _issues(doc)
    assert path == "api.routes./api/health.OPTIONS" and "api.cors answers OPTIONS" in message


# --- CORS methods ----------------------------------------------------------------------------------------


def test_cors_methods_are_derived_from_the_routes() -> None:
    doc = reference_doc()
    del doc["api"]["cors"]["allow_methods"]
    assert spec_from_dict(doc).api.cors.allow_methods == ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
    doc["api"]["routes"]["/api/users/{id}"]["PATCH"] = "get_user_id"
    assert spec_from_dict(doc).api.cors.allow_methods == ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def test_explicit_cors_methods_must_cover_the_routes() -> None:
    doc = reference_doc()
    doc["api"]["routes"]["/api/users/{id}"]["PATCH"] = "get_user_id"
    [(path, line, message)] = _issues(doc)
    assert path == "api.cors.allow_methods" and line is not None
    assert "refused PATCH" in message and "PATCH /api/users/{id}" in message


# --- index attributes ------------------------------------------------------------------------------------


def test_a_typo_in_an_index_key_names_the_index_and_suggests_the_attribute() -> None:
    doc = reference_doc()
    doc["tables"]["main"]["indexes"]["by_status"]["partition_key"] = {"name": "statsu", "type": "string"}
    [(path, line, message)] = _issues(doc)
    assert path == "tables.main.indexes.by_status.partition_key" and line is not None
    assert "index 'by_status' is keyed on 'statsu'" in message and "did you mean 'status'?" in message


def test_projected_attributes_must_be_declared() -> None:
    doc = reference_doc()
    index = doc["tables"]["main"]["indexes"]["by_status"]
    index.update(projection="include", non_key_attributes=["name", "dta"])
    [(path, _, message)] = _issues(doc)
    assert path == "tables.main.indexes.by_status.non_key_attributes.1" and "did you mean 'data'?" in message


# --- what generate would reject, found by validate -------------------------------------------------------


def test_validate_reports_what_generate_would_refuse(tmp_path: Path) -> None:
    doc = reference_doc()
    doc["functions"]["get_user"]["handler"] = "handlers.userz.get_user"
    doc["environments"]["dev"]["functions"]["auth"] = {"code": "lambda/ap"}
    path = write_spec(doc, tmp_path)
    text = path.read_text()
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = [line.strip() for line in result.output.splitlines()[1:]]
    assert lines == [
        f"{path}:{_at(text, 'lambda/ap')}: functions.auth.code: code directory "
        f"{tmp_path / 'lambda' / 'ap'} does not exist; did you mean 'app'? "
        "(set by environments.dev.functions.auth.code) [environment dev]",
        f"{path}:{_at(text, 'handlers.userz')}: functions.get_user.handler: handler module "
        f"handlers/userz.py not found under {tmp_path / 'lambda' / 'app'}; did you mean 'handlers/users'?",
    ]


# --- held out: variants made by mutating the reference ----------------------------------------------------

MUTATIONS = [
    ("defaults.functions.timeout", 0, "defaults.functions.timeout", "greater than or equal to 1"),
    ("defaults.functions.layers", ["comon"], "defaults.functions.layers.0", "did you mean 'common'?"),
    ("defaults.functions.architecture", "arm", "defaults.functions.architecture", "did you mean 'arm64'?"),
    ("defaults.functions.environment", {"1BAD": "x"}, "defaults.functions.environment.1BAD", "not a valid"),
    ("defaults.functions.handler", "x.y", "defaults.functions", "handler cannot have a default"),
    ("defaults.function", {}, "defaults.function", "did you mean 'functions'?"),
    (
        "api|routes|/api/health|GET|mock|content_type",
        "json",
        "api.routes./api/health.GET.mock.content_type",
        "expected",
    ),
    (
        "api|routes|/api/health|GET|integration",
        "mok",
        "api.routes./api/health.GET.integration",
        "did you mean 'mock'?",
    ),
    ("api.cors.allow_methods", ["GET", "POST"], "api.cors.allow_methods", "refused PUT, DELETE"),
    (
        "tables.main.indexes.by_status.sort_key",
        "created",
        "tables.main.indexes.by_status.sort_key",
        "did you mean 'created_at'?",
    ),
]


@pytest.mark.parametrize(("where", "value", "path", "fragment"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutated_reference_gives_one_located_issue(where: str, value: Any, path: str, fragment: str) -> None:
    doc = reference_doc()
    set_in(doc, where, value)
    issues = _issues(doc)
    assert len(issues) == 1, issues
    [(found, line, message)] = issues
    assert found == path and line is not None and fragment in message, issues


def test_spec_only_skips_what_lies_beside_the_spec() -> None:
    spec = REFERENCE.parent.parent / "tests" / "fixtures" / "specs" / "good" / "multi_env.yaml"
    full = runner.invoke(app, ["validate", str(spec), "-e", "dev"])
    assert full.exit_code == 2 and "functions.api.code: code directory" in full.output
    assert runner.invoke(app, ["validate", str(spec), "-e", "dev", "--spec-only"]).exit_code == 0


def test_a_misspelt_definition_is_one_issue_naming_every_use() -> None:
    doc = reference_doc()
    del doc["defaults"]["functions"]["security_groups"]
    for fn in doc["functions"].values():
        fn["security_groups"] = ["lambda"]
    groups = doc["network"]["security_groups"]
    groups["lamda"] = groups.pop("lambda")
    [(path, line, message)] = _issues(doc)
    assert path == "network.security_groups.endpoints.ingress.0.security_group" and line is not None
    assert message.startswith("unknown security group 'lambda'; did you mean 'lamda'? (also used by ")
    assert "functions.get_user.security_groups.0" in message and "and 5 more" in message


def test_explain_names_the_default_of_each_inherited_variable(tmp_path: Path) -> None:
    doc = reference_doc()
    doc["defaults"]["functions"]["environment"] = {"LOG_LEVEL": "info"}
    del doc["functions"]["rotate_secret"]["environment"]  # inherits the whole map
    path = write_spec(doc, tmp_path)
    result = runner.invoke(app, ["validate", str(path), "-e", "prod", "--explain", "-f", "json"])
    rows = {(r["function"], r["field"]): r for r in json.loads(result.output)["explain"]["prod"]}
    for fn in ("rotate_secret", "get_user"):
        row = rows[(fn, "environment.LOG_LEVEL")]
        assert (row["origin"], row["path"]) == ("defaults", "defaults.functions.environment.LOG_LEVEL")
        assert row["line"] == _line_of(path.read_text(), "LOG_LEVEL: info")
    assert rows[("get_user", "environment.TABLE_NAME")]["origin"] == "function"


def test_a_misspelt_name_in_an_override_is_the_one_issue() -> None:
    doc = reference_doc()
    doc["environments"]["dev"]["functions"]["get_usr"] = {"memory": 128}  # would be a new function
    text = yaml.safe_dump(doc, sort_keys=False)
    [(path, line, message)] = _issues(doc, "dev")
    assert path == "environments.dev.functions.get_usr" and line == _line_of(text, "get_usr:")
    assert (
        message
        == "the override names 'get_usr', which the document does not declare; did you mean 'get_user'?"
    )
    doc["environments"]["dev"]["functions"]["get_usr"]["handler"] = "handlers.users.get_user"
    assert "get_usr" in spec_from_dict(doc, "dev").functions  # a valid new entry is no error
