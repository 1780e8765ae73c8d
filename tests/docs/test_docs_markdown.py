"""The Markdown builders escape what would break a table or a page."""

from __future__ import annotations

import markdown
import pytest

from archkit.docs.markdown import code, scalar, slug, table, text


def render(md: str) -> str:
    return markdown.markdown(md, extensions=["tables"])


def test_table_cells_survive_pipes_angle_brackets_and_code():
    md = table(
        ["A", "B"], [(text("a | b <script>"), code("x|y")), (text("see `<name>` here"), code("`tick`"))]
    )
    html = render(md)
    assert "<td>a | b &lt;script&gt;</td>" in html
    assert "<td><code>x|y</code></td>" in html
    assert "<td>see <code>&lt;name&gt;</code> here</td>" in html
    assert "<code>`tick`</code>" in html
    assert html.count("<tr>") == 3


def test_empty_table_says_so_and_bad_rows_fail():
    assert table(["A"], [], empty="No buckets.") == "No buckets.\n"
    with pytest.raises(ValueError, match="expected 2"):
        table(["A", "B"], [("only one",)])


def test_code_of_empty_and_scalar_values():
    assert code("") == '`""`'
    assert scalar(True) == "true" and scalar(None) == "null" and scalar("a") == '"a"'
    assert scalar({"b": 1, "a": [1, 2]}) == '{"a": [1, 2], "b": 1}'


@pytest.mark.parametrize(("title", "anchor"), [("ArchSpec", "archspec"), ("archkit docs", "archkit-docs")])
def test_slug_matches_the_toc_extension(title, anchor):
    html = markdown.markdown(f"## {title}", extensions=["toc"])
    assert f'id="{anchor}"' in html
    assert slug(title) == anchor
