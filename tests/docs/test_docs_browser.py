"""The architecture pages as a reader sees them: the built site opened in headless Chromium.

Each diagram must fit the content column and, at the size it is drawn, its smallest text must be at least
9 CSS px (the SVG's smallest font size times the scale the browser draws the SVG at). Code in table cells
must not break inside a word, and tables must not spill out of the column. Screenshots of every page are
saved under the session's pytest temporary directory (``<basetemp>/screenshots``) as test artefacts.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` Python package; no
browser is downloaded (``executable_path`` points at the system one).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docs_helpers import copy_project, mkdocs_build

from archkit.diagram.style import MIN_LABEL_PX
from archkit.docs.views import VIEW_PAGES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
"""A laptop screen: Material shows the navigation, the page and its table of contents side by side."""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("dot") is None,
    reason="needs Debian's chromium (apt-get install chromium) and graphviz",
)

_FONT = re.compile(r'font-size="([0-9.]+)"')
_VIEWBOX = re.compile(r'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ([0-9.]+)"')


def smallest_font(svg: str) -> float:
    return min(float(x) for x in _FONT.findall(svg))


def viewbox_width(svg: str) -> float:
    match = _VIEWBOX.search(svg)
    assert match, "SVG without a viewBox"
    return float(match.group(1))


@pytest.fixture(scope="module")
def site(tmp_path_factory, fresh_docs) -> Path:
    """The site built from a fresh generation of the architecture pages (not the committed ones)."""
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    arch = project / "docs" / "architecture"
    shutil.rmtree(arch)
    for name, data in fresh_docs.architecture.items():
        (arch / name).parent.mkdir(parents=True, exist_ok=True)
        (arch / name).write_bytes(data)
    build = mkdocs_build(project, project / "site")
    assert build.returncode == 0, build.output[-2000:]
    return build.site


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    out = tmp_path_factory.getbasetemp() / "screenshots"
    out.mkdir(exist_ok=True)
    return out


def _html(site: Path, page_file: str) -> Path:
    stem = page_file.removesuffix(".md")
    return site / "architecture" / ("" if stem == "index" else stem) / "index.html"


_MEASURE = """() => {
  const column = document.querySelector('.md-content__inner').getBoundingClientRect();
  const figures = [...document.querySelectorAll('figure.archkit-diagram img')].map(img => ({
    src: img.getAttribute('src'),
    width: img.getBoundingClientRect().width,
    natural: img.naturalWidth,
  }));
  const broken = [...document.querySelectorAll('.md-typeset td code')]
    .filter(c => c.getClientRects().length > 1)
    .map(c => c.textContent);
  const tables = [...document.querySelectorAll('.md-typeset table')].map(t => {
    const box = (t.closest('.md-typeset__scrollwrap') || t).getBoundingClientRect();
    return {right: box.right, left: box.left};
  });
  return {column: {left: column.left, right: column.right, width: column.width}, figures, broken, tables};
}"""


@pytest.mark.parametrize("page_file", [p.file for p in VIEW_PAGES])
def test_architecture_page_reads_at_column_width(site, browser, screenshots, page_file):
    html = _html(site, page_file)
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(html.as_uri(), wait_until="load")
        page.wait_for_function("[...document.images].every(i => i.complete)")
        measured = page.evaluate(_MEASURE)
        page.screenshot(path=str(screenshots / f"{page_file.removesuffix('.md')}.png"), full_page=True)
    finally:
        page.close()

    column = measured["column"]
    assert 600 <= column["width"] <= 900, column  # the docs column this test is about
    assert measured["figures"], f"{page_file}: no diagram"
    for figure in measured["figures"]:
        svg = (html.parent / figure["src"]).read_text(encoding="utf-8")
        assert figure["natural"] > 0, f"{figure['src']} did not load"
        assert figure["width"] <= column["width"] + 0.5, (page_file, figure)
        # The browser draws the SVG's viewBox at the image's rendered width.
        scale = figure["width"] / viewbox_width(svg)
        smallest = smallest_font(svg) * scale
        assert smallest >= MIN_LABEL_PX, (
            f"{figure['src']}: smallest text {smallest:.1f} px at {figure['width']:.0f} px wide "
            f"({scale:.0%} of its size)"
        )
    assert measured["broken"] == [], f"{page_file}: code broken across lines: {measured['broken'][:5]}"
    for table in measured["tables"]:
        assert table["right"] <= column["right"] + 1, (page_file, table, column)
