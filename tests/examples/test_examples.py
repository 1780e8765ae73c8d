"""Every example system in specs/examples/ through every command, as a user would run them.

validate (every environment), generate (cfn-lint, cdk-nag), the synthesized templates deployed into an
emulator and verified clean, every diagram view, and the docs pages committed under docs/examples/. The
example-specific tests (single changes behind the spec's back) live beside this file, one module per example.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from archkit.cli import app
from archkit.emulate.capabilities import document
from archkit.spec import load_environments
from archkit.spec.inventory import resources
from archkit.verify.capabilities import parse
from shared import ROOT

from .conftest import EXAMPLES, EXAMPLES_DIR, Examples

pytestmark = pytest.mark.skipif(not EXAMPLES, reason="no example in specs/examples/")

DOCS_DIR = ROOT / "docs" / "examples"
runner = CliRunner()


def invoke(*args: str) -> Any:
    """The CLI in-process, from the checkout's root (pages name the spec by its path from there)."""
    import os

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("name", EXAMPLES)
def test_validate_accepts_every_environment(name: str) -> None:
    path = EXAMPLES_DIR / f"{name}.yaml"
    result = invoke("validate", relative(path), "--format", "json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    declared = list(load_environments(path))
    assert report["valid"] is True
    assert [e["environment"] for e in report["environments"]] == declared


@pytest.mark.parametrize("name", EXAMPLES)
def test_generated_templates_pass_cfn_lint_and_cdk_nag(name: str, examples: Examples) -> None:
    from cfnlint.api import lint

    cdk_out = examples.generated(name) / "cdk.out"
    manifest = json.loads((cdk_out / "manifest.json").read_text())
    stacks = {k: v for k, v in manifest["artifacts"].items() if v["type"] == "aws:cloudformation:stack"}
    assert stacks, f"{name}: no stack synthesized"
    for stack, artifact in stacks.items():
        template = json.loads((cdk_out / artifact["properties"]["templateFile"]).read_text())
        assert template.get("Resources"), f"{name}: stack {stack} is empty (cfn-lint E1001, deploy fails)"
        region = artifact["environment"].rsplit("/", 1)[-1]
        matches = lint(json.dumps(template), regions=[region])
        errors = [f"{m.rule.id} {m.message}" for m in matches if m.rule.severity == "error"]
        assert errors == [], f"{name} {stack}: {errors}"
    report = json.loads((cdk_out / "validation-report.json").read_text())
    for plugin in report["pluginReports"]:
        assert plugin["conclusion"] == "success", f"{name}: {plugin['pluginName']} {plugin.get('violations')}"


def _explained_by_a_gap(finding: dict[str, Any]) -> bool:
    """A `not_checked` the emulator's declared capabilities account for (never a silent pass)."""
    attribute = finding.get("attribute") or "*"
    return finding.get("reason") == "unsupported" and any(
        gap.resource_type == finding["resource_type"] and (gap.attribute == "*" or gap.matches(attribute))
        for gap in parse(document())
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_deployed_templates_verify_clean(name: str, examples: Examples) -> None:
    """The synthesized templates, deployed by the emulator's template deployer, read clean: every declared
    resource found, no drift, no unsuppressed compliance failure, and nothing unchecked without a reason."""
    account = examples.account(name)
    run = account.verify()
    findings = [f.model_dump(mode="json") for f in run.report.findings]
    wrong = [
        f"{f['kind']} {f.get('change') or f.get('rule_id')} {f['resource']} {f.get('attribute')}: "
        f"expected {f.get('expected')!r} actual {f.get('actual')!r}"
        for f in findings
        if f["kind"] == "drift" or (f["kind"] == "compliance" and not f.get("suppressed"))
    ]
    assert wrong == [], f"{name}: false findings on a correct deployment:\n" + "\n".join(wrong)
    unexplained = [
        (f["resource_type"], f["resource"], f.get("attribute"), f.get("reason"))
        for f in findings
        if f["kind"] == "not_checked" and not _explained_by_a_gap(f)
    ]
    assert unexplained == [], f"{name}: not checked without a declared emulator gap: {unexplained}"
    declared = {r.path for r in resources(account.spec)}
    missing = {f["resource"] for f in findings if f.get("change") == "missing"}
    assert declared and not (missing & declared)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_diagram_view_draws(name: str, tmp_path: Path, examples: Examples) -> None:
    spec = examples.spec(name)
    result = invoke(
        "diagram",
        "--spec",
        relative(EXAMPLES_DIR / f"{name}.yaml"),
        "--view",
        "all",
        "--format",
        "svg,txt",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.stdout
    assert "<svg" in (tmp_path / "overview.svg").read_text()
    drawn = {
        view: (tmp_path / f"{view}.svg").read_text()
        for view in ("lambda-functions", "dynamodb", "s3")
        if (tmp_path / f"{view}.svg").is_file()
    }
    # each element is a node (or cluster) whose graphviz id names it
    expected = [
        *(("lambda-functions", f">functions.{key}<") for key in spec.functions),
        *(("dynamodb", f"table#{key}") for key in spec.tables),
        *(("s3", f"bucket#{key}") for key in spec.buckets),
    ]
    absent = [(view, mark) for view, mark in expected if mark not in drawn.get(view, "")]
    assert absent == [], f"{name}: elements not drawn in their view"


@pytest.mark.parametrize("name", EXAMPLES)
def test_docs_pages_are_committed_and_current(name: str) -> None:
    """docs/examples/<name>/ is what `archkit docs` makes of the example (`make regenerate` refreshes it)."""
    out = DOCS_DIR / name
    assert (out / "index.md").is_file(), f"run `make regenerate`: {relative(out)} is missing"
    result = invoke(
        "docs",
        "--spec",
        relative(EXAMPLES_DIR / f"{name}.yaml"),
        "--out",
        relative(out),
        "--no-reference",
        "--check",
    )
    assert result.exit_code == 0, result.stdout


def test_every_example_is_in_the_docs_navigation() -> None:
    import yaml

    nav = json.dumps(yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"])
    for name in EXAMPLES:
        assert f"examples/{name}/index.md" in nav, f"mkdocs.yml's nav lacks the example {name}"
