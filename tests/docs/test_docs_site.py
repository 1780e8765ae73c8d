"""The site builds with `mkdocs build --strict`, is current against the reference spec, and breaks loudly."""

from __future__ import annotations

import re

import pytest
import yaml
from docs_helpers import ARCHITECTURE, DOCS, MKDOCS_YML, REFERENCE, copy_project, mkdocs_build

from archkit.docs.views import VIEW_PAGES
from archkit.docs.writer import compare

# One xdist worker builds the shared fresh generation and site for all of these.
pytestmark = pytest.mark.xdist_group("docs-site")


def nav_files() -> list[str]:
    """Every page the explicit nav of mkdocs.yml lists."""
    config = yaml.safe_load(MKDOCS_YML.read_text())
    out: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                if isinstance(value, list):
                    walk(value)
                else:
                    out.append(value)

    walk(config["nav"])
    return out


def test_site_builds_strict_without_warnings(built_site):
    assert built_site.returncode == 0, built_site.output
    assert "WARNING" not in built_site.output
    assert "Documentation built" in built_site.output


def test_nav_lists_every_page_and_every_page_is_built(built_site):
    listed = nav_files()
    on_disk = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(listed) == on_disk
    for page in listed:
        stem = page.removesuffix(".md")
        html = stem.removesuffix("index") + "index.html" if stem.endswith("index") else f"{stem}/index.html"
        assert (built_site.site / html).is_file(), page
    for page in VIEW_PAGES:
        assert f"architecture/{page.file}" in listed


def test_committed_architecture_pages_equal_a_fresh_generation(fresh_docs):
    differences = compare(ARCHITECTURE, fresh_docs.architecture, whole_dir=True)
    assert differences == [], "run `archkit docs` and commit docs/: " + ", ".join(map(str, differences))


def test_committed_reference_pages_equal_a_fresh_generation(fresh_docs):
    assert set(fresh_docs.reference) == {"cli.md", "spec.md", "rules.md"}
    differences = compare(REFERENCE, fresh_docs.reference, whole_dir=False)
    assert differences == [], "run `archkit docs` and commit docs/: " + ", ".join(map(str, differences))


def test_diagrams_are_in_the_site_and_self_contained(built_site, fresh_docs):
    svgs = sorted(name for name in fresh_docs.architecture if name.endswith(".svg"))
    assert "diagrams/overview.svg" in svgs
    for page in VIEW_PAGES:
        html_dir = (
            "architecture" if page.file == "index.md" else f"architecture/{page.file.removesuffix('.md')}"
        )
        html = (built_site.site / html_dir / "index.html").read_text()
        sources = re.findall(r'<img[^>]*src="([^"]+\.svg)"', html)
        assert sources, page.file
        for src in sources:
            target = (built_site.site / html_dir / src).resolve()
            assert target.is_file(), (page.file, src)
    for name in svgs:
        svg = (built_site.site / "architecture" / name).read_text()
        assert svg.lstrip().startswith(("<?xml", "<svg")), name
        refs = re.findall(r'(?:xlink:)?href="([^"]*)"', svg)
        external = [r for r in refs if not r.startswith(("data:", "#"))]
        assert external == [], (name, external[:3])


def test_the_api_reference_is_rendered_by_mkdocstrings(built_site):
    html = (built_site.site / "reference" / "python-api" / "index.html").read_text()
    for name in ("archkit.spec.load_spec", "archkit.spec.inventory.resources", "archkit.docs.build_docs"):
        assert f'id="{name}"' in html, name


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("link", "missing-page.md"),
        ("anchor", "#no-such-heading"),
        ("page", "architecture/cost.md"),
    ],
)
def test_a_broken_site_fails_the_strict_build(tmp_path, breakage, expected):
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    if breakage == "link":
        page = docs / "how-to" / "deploy.md"
        page.write_text(page.read_text() + "\nSee [the missing page](missing-page.md).\n")
    elif breakage == "anchor":
        page = docs / "index.md"
        page.write_text(page.read_text() + "\nSee [nowhere](getting-started.md#no-such-heading).\n")
    else:
        (docs / "architecture" / "cost.md").unlink()
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0
    assert expected in build.output
