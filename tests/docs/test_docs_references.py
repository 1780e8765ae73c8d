"""The generated reference pages cover every command, every spec field and every rule, and the hand-written
pages' examples are real."""

from __future__ import annotations

import re

import pytest
import typer
from docs_helpers import DOCS, has_row

from archkit.cli import app
from archkit.docs.cli_reference import cli_reference_markdown, command_paths
from archkit.docs.markdown import code, slug
from archkit.docs.spec_reference import models_of, spec_reference_markdown
from archkit.spec import ArchSpec, parse_spec_text

# One xdist worker builds the shared fresh generation and site for all of these.
pytestmark = pytest.mark.xdist_group("docs-site")


def test_cli_reference_has_every_command_and_option(fresh_docs):
    page = fresh_docs.reference["cli.md"].decode()
    paths = command_paths(app)
    assert {"archkit", "archkit validate", "archkit docs", "archkit rules"} <= set(paths)
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        assert f"## archkit {name}\n" in page, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-"):
                    assert re.search(rf"`[^`]*{re.escape(opt)}\b[^`]*`", page), (name, opt)


def test_cli_reference_follows_the_app_it_is_given():
    extra = typer.Typer()

    @extra.command()
    def hello(loud: bool = typer.Option(False, "--loud", help="Shout the greeting.")) -> None:
        """Say hello."""

    @extra.command()
    def bye() -> None:
        """Say bye."""

    page = cli_reference_markdown(extra)
    assert "## archkit hello\n" in page and "## archkit bye\n" in page
    assert "| [`archkit bye`](#archkit-bye) | Say bye. |" in page
    hello_section = page.split("## archkit hello\n", 1)[1]
    assert "archkit hello [OPTIONS]" in hello_section
    assert has_row(hello_section, "`--loud`", "option", "Shout the greeting.")
    assert "No arguments or options." in page.split("## archkit bye\n", 1)[1].split("## archkit hello", 1)[0]


def test_spec_reference_has_every_model_and_field(fresh_docs):
    page = fresh_docs.reference["spec.md"].decode()
    models = models_of(ArchSpec)
    assert len(models) > 40
    for model in models:
        assert f"## {model.__name__}\n" in page, model.__name__
        section = page.split(f"## {model.__name__}\n", 1)[1].split("\n## ", 1)[0]
        for name, field in model.model_fields.items():
            assert has_row(section, code(field.alias or name)), (model.__name__, name)
            if field.description:
                assert field.description.replace("|", "\\|")[:30] in section, (model.__name__, name)


def test_spec_reference_shows_types_and_defaults():
    page = spec_reference_markdown()
    fn = page.split("## FunctionSpec\n", 1)[1].split("\n## ", 1)[0]
    assert has_row(fn, "`memory`", "int", "`256`")
    assert has_row(fn, "`architecture`", "one of `arm64`, `x86_64`", '`"arm64"`')
    assert has_row(fn, "`handler`", "str", "**required**")
    root = page.split("## ArchSpec\n", 1)[1].split("\n## ", 1)[0]
    assert has_row(root, "`functions`", f"map of str to [FunctionSpec](#{slug('FunctionSpec')})", "`{}`")
    assert has_row(
        root, "`network`", "[NetworkSpec](#networkspec)", "defaults of [NetworkSpec](#networkspec)"
    )


def test_rule_catalogue_has_every_rule(fresh_docs):
    from archkit.verify.rules.catalogue import catalogue

    page = fresh_docs.reference["rules.md"].decode()
    metas = catalogue()
    assert metas
    for meta in metas:
        assert f"### {meta.id}\n" in page, meta.id
        assert f"[{code(meta.id)}](#{meta.id.lower()})" in page, meta.id
        assert meta.remediation[:40] in page, meta.id


def _yaml_blocks(page: str) -> list[str]:
    return re.findall(r"```yaml[^\n]*\n(.*?)```", page, flags=re.S)


def test_the_spec_in_write_a_spec_is_valid():
    blocks = [
        b for b in _yaml_blocks((DOCS / "how-to" / "write-a-spec.md").read_text()) if b.startswith("project:")
    ]
    assert blocks
    for block in blocks:
        spec = parse_spec_text(block, "write-a-spec.md")
        assert spec.project == "notes"
        assert {p for p, _, _ in spec.api.methods()} == {"/notes"}


def test_suppression_examples_are_valid_spec_fragments(reference_spec):
    from archkit.spec import dump_spec

    base = dump_spec(reference_spec)
    for block in _yaml_blocks((DOCS / "how-to" / "suppress-a-finding.md").read_text()):
        if block.startswith(("compliance:", "drift:")):
            key = block.split(":", 1)[0]
            doc = re.sub(rf"^{key}:.*?(?=^\S|\Z)", "", base, flags=re.S | re.M) + block
            parse_spec_text(doc, "suppress-a-finding.md")
