"""Loader behaviour: positions through aliases and overrides, JSON, merge keys, best-effort references."""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.spec import SpecError, SpecIssue, load_spec, parse_spec_text, spec_locations
from archkit.spec import source as source_module
from archkit.spec.loader import MAX_SPEC_BYTES
from archkit.spec.source import MAX_DEPTH, MAX_SCALAR_CHARS, parse_document

from .spec_helpers import REFERENCE, issues_of, text_issues

HEAD = """project: notes
owner: notes-team
network: {nat_gateways: 0}
edge: {dns: {enabled: false}, cdn: {enabled: false}, waf: {enabled: false}}
"""


def located(issues: list[SpecIssue]) -> list[tuple[str, int | None, int | None]]:
    return [(i.path, i.line, i.column) for i in issues]


def test_issue_text_names_file_line_column_and_path() -> None:
    issue = SpecIssue("functions.a.memory", "expected an integer", "s.yaml", 3, 7)
    assert str(issue) == "s.yaml:3:7: functions.a.memory: expected an integer"
    assert str(SpecIssue("", "malformed", None)) == "<spec>: <root>: malformed"


def test_reference_alias_errors_point_at_anchor_text_and_name_the_alias(reference_text: str) -> None:
    bad = reference_text.replace(
        "TABLE_NAME: ${tables.main.name}\n      ENVIRONMENT",
        "TABLE_NAME: ${tables.mian.name}\n      ENVIRONMENT",
    )
    assert bad != reference_text
    issues = text_issues(bad, "ref.yaml")
    anchor_line = reference_text.splitlines().index("    environment: &api_env") + 1
    alias_lines = [
        n + 1 for n, line in enumerate(reference_text.splitlines()) if line == "    environment: *api_env"
    ]
    assert len(alias_lines) == 5
    by_path = {i.path: i for i in issues}
    anchor = by_path["functions.get_user.environment.TABLE_NAME"]
    assert (anchor.line, anchor.column) == (anchor_line + 2, 19)
    assert "did you mean '${tables.main.name}'?" in anchor.message and "*api_env" not in anchor.message
    add_user = by_path["functions.add_user.environment.TABLE_NAME"]
    assert add_user.line == anchor_line + 2
    assert f"used via *api_env on line {alias_lines[0]}" in add_user.message
    assert len(issues) == 6  # the anchor and its five aliases


def test_alias_used_as_a_whole_value_is_located_at_the_alias(tmp_path: Path) -> None:
    text = (
        HEAD + "x-env: &env {TABLE_NAME: x}\nfunctions:\n  a: {handler: a.h, vpc: false, environment: *env}\n"
    )
    spec = parse_spec_text(text, "s.yaml")  # x- keys are ignored: a place for anchors
    assert spec.functions["a"].environment == {"TABLE_NAME": "x"}
    bad = HEAD + "x-env: &env [1, 2]\nfunctions:\n  a: {handler: a.h, vpc: false, environment: *env}\n"
    issues = text_issues(bad)
    assert located(issues) == [("functions.a.environment", 7, 33)]
    assert issues[0].message.startswith("expected a mapping (got [1, 2])")
    assert "(from anchor &env on line 5, used via *env on line 7)" in issues[0].message


def test_merge_keys_apply_and_own_keys_win() -> None:
    text = HEAD + (
        "x-defaults: &fn {vpc: false, memory: 512, timeout: 30}\n"
        "functions:\n"
        "  a: {<<: *fn, handler: a.h, memory: 1024}\n"
        "  b:\n"
        "    <<: *fn\n"
        "    handler: b.h\n"
    )
    spec = parse_spec_text(text, "s.yaml")
    assert (spec.functions["a"].memory, spec.functions["a"].timeout, spec.functions["a"].vpc) == (
        1024,
        30,
        False,
    )
    assert spec.functions["b"].memory == 512


def test_override_errors_point_at_the_override() -> None:
    text = HEAD + (
        "environments:\n"
        "  prod: {}\n"
        "  dev:\n"
        "    functions:\n"
        "      a: {memroy: 256}\n"
        "functions:\n"
        "  a: {handler: a.h, vpc: false}\n"
    )
    issues = text_issues(text, env="dev")
    assert located(issues) == [("functions.a.memroy", 9, 11)]
    assert "did you mean 'memory'?" in issues[0].message
    assert parse_spec_text(text, "s.yaml", "prod").functions["a"].memory == 256


def test_unknown_requested_environment_suggests_the_closest() -> None:
    text = HEAD + "environments:\n  prod: {}\n  staging: {}\n"
    issues = text_issues(text, env="stagin")
    assert located(issues) == [("environments", 5, 1)]
    assert (
        "requested environment 'stagin'" in issues[0].message
        and "did you mean 'staging'?" in issues[0].message
    )


def test_an_environment_cannot_rename_itself() -> None:
    text = HEAD + "environments:\n  prod: {}\n  dev: {environment: prod}\n"
    issues = text_issues(text, env="dev")
    assert located(issues) == [("environments.dev.environment", 7, 9)]


def test_duplicate_keys_are_reported_with_field_errors() -> None:
    text = (
        HEAD
        + "functions:\n"
        + "  a: {handler: a.h, vpc: false, memory: 1}\n"
        + "  a: {handler: b.h, vpc: false, memory: 2}\n"
    )
    issues = text_issues(text)
    assert located(issues) == [("functions.a", 7, 3), ("functions.a.memory", 7, 41)]


def test_best_effort_references_skip_what_was_set_aside() -> None:
    text = HEAD + (
        "functions:\n"
        "  a: {vpc: false}\n"  # no handler: the entry is set aside...
        "  b: {handler: b.h, vpc: false, layers: [missing]}\n"
        "api:\n"
        "  routes:\n"
        "    /a: {GET: a, POST: nope}\n"  # ...so GET a is not 'unknown', but POST nope is
    )
    issues = text_issues(text)
    assert [(i.path, i.line) for i in issues] == [
        ("functions.a.handler", 6),
        ("functions.b.layers.0", 7),
        ("api.routes./a.POST.function", 10),
    ]
    assert "unknown layer 'missing'" in issues[1].message


def test_best_effort_maps_list_indexes_back() -> None:
    text = (
        "project: notes\nowner: notes-team\n"
        "edge: {dns: {enabled: false}, cdn: {enabled: false}, waf: {enabled: false}}\n"
        "network:\n"
        "  nat_gateways: 0\n"
        "  public_subnets:\n"
        "    - {az: us-east-1a}\n"  # item 0: no cidr -> set aside
        "    - {az: us-east-1x, cidr: 10.0.1.0/24}\n"  # item 1: becomes item 0 while checking
    )
    issues = text_issues(text)
    assert [(i.path, i.line) for i in issues] == [
        ("network.public_subnets.0.cidr", 7),
        ("network.public_subnets.1.az", 8),
    ]


def test_best_effort_gives_up_when_a_section_is_wrong() -> None:
    text = HEAD.replace("network: {nat_gateways: 0}", "network: 5") + "api: {routes: {/a: {GET: nope}}}\n"
    issues = text_issues(text)
    assert located(issues) == [("network", 3, 10)]


def test_json_follows_json_rules() -> None:
    text = (
        '{"project": "notes", "owner": "t", "description": "cart \\ud83d\\uded2",'
        ' "network": {"nat_gateways": 0},'
        ' "edge": {"dns": {"enabled": false}, "cdn": {"enabled": false}, "waf": {"enabled": false}},'
        ' "cost": {"budgets": {"monthly": {"amount": 1e3}}}}'
    )
    spec = parse_spec_text(text)  # no file name: JSON is recognised by its first character
    assert spec.description == "cart \U0001f6d2" and spec.cost.budgets["monthly"].amount == 1000
    assert parse_spec_text(text.replace("\n", ""), "spec.json") == spec


def test_yaml_keys_are_taken_as_written() -> None:
    spec = parse_spec_text(HEAD + "tags: {on: yes-please, 200: ok}\n", "s.yaml")
    assert spec.tags == {"on": "yes-please", "200": "ok"}


def test_unsupported_tags_are_refused() -> None:
    issues = text_issues(HEAD + "tags: !!set {a, b}\n")
    assert located(issues) == [("tags", 5, 7)] and "unsupported YAML tag" in issues[0].message
    issues = text_issues(HEAD + "owner2: !Ref x\n")
    assert "malformed YAML" in issues[0].message and issues[0].line == 5


def test_alias_bombs_and_deep_nesting_stop_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "MAX_VALUES", 1000)
    bomb = HEAD + "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    assert "alias bomb" in text_issues(bomb)[0].message


# just past ours; past libyaml's own limit (1,000); far beyond
@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1001, 5000])
@pytest.mark.parametrize("style", ["flow", "block", "json"])
def test_deep_nesting_gets_the_loaders_own_message(levels: int, style: str) -> None:
    """The same message and position whatever the YAML library does with deep nesting (PyYAML 6.0.4's
    libyaml stops at 1,000 levels with its own wording; older releases recurse until Python's limit)."""
    if style == "flow":
        text = "project: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"
        where = (1, len("project: ") + MAX_DEPTH)  # the first list at depth MAX_DEPTH + 1 (the root is 1)
    elif style == "block":
        lines = [f"{'  ' * i}k{i}:" for i in range(levels - 1)] + [f"{'  ' * (levels - 1)}v: 1"]
        text = "\n".join(lines).replace("k0:", "project:", 1) + "\n"
        where = (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)  # line k starts the mapping at depth k
    else:
        text = "[" * levels + "]" * levels
        where = (1, MAX_DEPTH + 1)
    [issue] = text_issues(text)
    limit = f"(limit {MAX_DEPTH} levels of mappings and lists)"
    assert issue.message == f"the document is nested too deeply {limit}"
    assert (issue.line, issue.column) == where


def test_nesting_up_to_the_limit_parses() -> None:
    data, _ = parse_document("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    for _ in range(MAX_DEPTH - 1):
        data = data["x"] if isinstance(data, dict) else data[0] if data else data
    assert data == []


def test_huge_values_and_files_stop_cleanly(tmp_path: Path) -> None:
    [issue] = text_issues(HEAD + "description: " + "x" * (MAX_SCALAR_CHARS + 1) + "\n")
    assert f"values are limited to {MAX_SCALAR_CHARS:,}" in issue.message and issue.path == "description"
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_SPEC_BYTES + 1)
    [too_big] = issues_of(big, env="prod")
    assert f"archkit reads specs up to {MAX_SPEC_BYTES:,} bytes" in too_big.message


def test_bad_encoding_names_the_byte_and_its_position(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"project: shop\nowner: caf\xe9\n")
    [issue] = issues_of(latin1, env="prod")
    assert issue.message == "cannot read the spec: byte 0xe9 is not UTF-8 text; save the file as UTF-8"
    assert (issue.line, issue.column) == (2, 11)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    [missing] = issues_of(tmp_path / "nope.yaml", env="prod")
    assert missing.file == str(tmp_path / "nope.yaml") and "spec file not found" in missing.message
    [directory] = issues_of(tmp_path, env="prod")
    assert "got a directory" in directory.message
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "cannot read the spec" in issues_of(binary, env="prod")[0].message


def test_spec_locations_of_the_reference(reference_text: str) -> None:
    lines = spec_locations(REFERENCE)
    text = reference_text.splitlines()
    assert text[lines["tables.main"] - 1] == "  main:"
    assert text[lines["functions.get_user.memory"] - 1].strip() == "memory: 512"
    assert text[lines["buckets.assets.lifecycle.0.prefix"] - 1].strip() == "prefix: backups/"


def test_load_spec_defaults_to_the_env_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text(HEAD)
    monkeypatch.setenv("ARCHKIT_SPEC", str(spec_file))
    assert load_spec().project == "notes"
    monkeypatch.delenv("ARCHKIT_SPEC")
    monkeypatch.chdir(REFERENCE.parents[1])
    assert load_spec().project == "shop"


def test_spec_error_message_lists_every_issue() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec_text(HEAD + "functions: {a: {vpc: false}, b: {vpc: false}}\n", "s.yaml")
    assert str(caught.value).splitlines() == [
        "s.yaml:5:13: functions.a.handler: required key 'handler' is missing: Handler entry point, e.g. "
        "`users.get_user.handler`.",
        "s.yaml:5:30: functions.b.handler: required key 'handler' is missing: Handler entry point, e.g. "
        "`users.get_user.handler`.",
    ]
