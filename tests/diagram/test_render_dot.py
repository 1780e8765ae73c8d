"""DOT source and SVG/PNG output of the graphviz renderer (real diagrams + real dot)."""

from __future__ import annotations

import re

import pytest

from archkit.diagram.model import ViewBuilder
from archkit.diagram.render.graphviz import to_dot

NODE_STMT = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*) \[label=', re.M)
CLUSTER = re.compile(r'^\s*subgraph ("cluster_[^"]*"|cluster_[A-Za-z0-9_]+) \{', re.M)


def _unquote(token: str) -> str:
    return token[1:-1] if token.startswith('"') else token


def test_dot_node_ids_are_view_ids_not_uuids(views, dot_sources):
    for name, view in views.items():
        source = dot_sources[name]
        ids = [_unquote(t) for t in NODE_STMT.findall(source)]
        assert ids.count(view.nodes[0].id) == 1
        # Besides the view's nodes, only the legend / findings footer.
        assert {i for i in ids if not i.startswith("footer#")} == {n.id for n in view.nodes}, name
        assert not re.search(r"\b[0-9a-f]{32}\b", source), (
            f"{name}: a random uuid node id leaked into the DOT"
        )


def test_dot_clusters_named_by_group_id(views, dot_sources):
    for name, view in views.items():
        clusters = [_unquote(t) for t in CLUSTER.findall(dot_sources[name])]
        expected = [f"cluster_{g.id}" for g in _depth_first(view)]
        # Left-to-right views are fed to dot in reverse sibling order (see render.graphviz).
        assert sorted(clusters) == sorted(expected) and len(clusters) == len(set(clusters)), name


def _depth_first(view, parent=None):
    for g in view.children(parent)[0]:
        yield g
        yield from _depth_first(view, g.id)


def test_same_label_groups_stay_apart(dot_sources):
    # Each security layer holds an "Enforces" and a "Resources" group.
    for layer in ("edge", "api", "application", "data"):
        source = dot_sources[f"security-{layer}"]
        assert 'subgraph "cluster_layer#measures"' in source and source.count("label=Enforces") == 1
    b = ViewBuilder("twins", "Twins")
    b.group("one", "Same")
    b.group("two", "Same")
    b.node("a", "A", "feature", group="one")
    b.node("b", "B", "feature", group="two")
    twin = to_dot(b.build())
    assert "subgraph cluster_one {" in twin and "subgraph cluster_two {" in twin


def test_dot_edges_carry_labels_and_meaning(dot_sources):
    overview = dot_sources["overview"]
    assert re.search(
        r'"edge\.cdn" -> "buckets\.assets" \[label="origin static/"[^\]]*color="#188038"', overview
    )
    # One edge into the Lambda tier: it ends on the tier's frame (lhead), drawn through its first node (the
    # internal load balancer in the tier's band).
    assert re.search(
        r'api -> "network\.alb" \[label=invokes'
        r'[^\]]*lhead="cluster_network#lambda_tier"',
        overview,
    )
    # Leaving a frame too (ltail) and entering another (lhead).
    assert re.search(
        r'"network\.alb" -> "network\.endpoints\.dynamodb" \[label="AWS APIs"[^\]]*'
        r'lhead="cluster_network\.endpoints"[^\]]*ltail="cluster_network#lambda_tier"',
        overview,
    )
    # Drawn upwards: emitted head first with the arrow reversed, so the bucket ranks above the endpoint.
    assert re.search(
        r'"buckets\.assets" -> "network\.endpoints\.s3" \[label="reads/writes"[^\]]*dir=back', overview
    )
    # Left-to-right views label edges outside the layout (xlabel), which keeps their columns close.
    assert re.search(
        r'"tables\.main\.stream" -> "functions\.process_stream" \[[^\]]*xlabel=stream',
        dot_sources["dynamodb"],
    )
    # Layout hints are invisible; rows are flat invisible edges (minlen 0) in AZ order.
    assert re.search(r'"network\.nat_gateways\.0" -> "network\.alb" \[[^\]]*style=invis', overview)
    assert (
        '"network.private_subnets.0.functions" -> "network.private_subnets.1.functions" '
        "[minlen=0 style=invis]" in overview
    )


def test_dot_has_no_absolute_paths_and_relative_icons(dot_sources):
    for name, source in dot_sources.items():
        assert "/root" not in source and "site-packages" not in source, name
        assert 'image="/' not in source
    assert '<IMG SRC="resources/aws/compute/lambda.png" SCALE="TRUE"/>' in dot_sources["lambda"]


def test_off_nodes_are_dashed_and_grey(dot_sources, off_views):
    line = next(x for x in to_dot(off_views["overview"]).splitlines() if x.strip().startswith("rds ["))
    assert 'style="rounded,dashed"' in line and 'color="#9AA0A6"' in line
    assert "RDS (optional, off)" in line
    # Enabled in the reference: drawn solid, without the suffix.
    line = next(x for x in dot_sources["overview"].splitlines() if x.strip().startswith("rds ["))
    assert "dashed" not in line and "#9AA0A6" not in line and "optional, off" not in line
    assert "RDS postgres" in line


def test_svg_is_self_contained(views, rendered):
    from archkit.diagram.render.icons import icon_path

    for name, out in rendered.items():
        svg = out["svg"].decode("utf-8")
        assert svg.startswith("<?xml")
        assert "Generated by graphviz" not in svg
        assert "/root" not in svg and "site-packages" not in svg and "resources/" not in svg
        hrefs = re.findall(r'xlink:href="([^"]+)"', svg)
        images = [h for h in hrefs if not h.startswith("#")]
        # Every icon is embedded; a diagram of plain boxes (the function table) has none to embed.
        assert bool(images) == any(icon_path(n.kind) for n in views[name].nodes), name
        assert all(h.startswith("data:image/png;base64,") for h in images), name


def test_svg_contains_every_node_title(views, rendered):
    svg = rendered["api"]["svg"].decode("utf-8")
    for node in views["api"].nodes:
        assert f"<title>{node.id}</title>" in svg


def test_png_is_a_png(views):
    from archkit.diagram import render_bytes

    data = render_bytes(views["cost"], "png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert 300 < width < 4000  # readable, not a sliver or a wall


def test_rerender_is_byte_identical(views, rendered):
    from archkit.diagram import render_view

    for name in ("overview", "s3"):
        again = render_view(views[name], ["svg", "dot", "txt", "mmd"])
        assert again == rendered[name]


def test_missing_dot_is_a_clear_error(views, monkeypatch, tmp_path):
    from archkit.diagram import GraphvizNotFound, render_bytes

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFound, match=r"apt-get install graphviz, or brew install graphviz"):
        render_bytes(views["cost"], "svg")
    # Text formats need no graphviz.
    assert render_bytes(views["cost"], "txt").startswith("┌".encode())
    assert render_bytes(views["cost"], "dot").startswith(b"digraph")


def test_every_diagram_reads_at_docs_column_width(rendered):
    """The smallest type, shown with the SVG scaled to the docs column, is at least MIN_LABEL_PX."""
    from archkit.diagram.style import COLUMN_PX, MAX_WIDTH_PT, MIN_FONT, MIN_LABEL_PX

    for name, formats in rendered.items():
        svg = formats["svg"].decode("utf-8")
        width = float(re.search(r'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+)', svg).group(1))
        smallest = min(float(x) for x in re.findall(r'font-size="([0-9.]+)"', svg))
        assert smallest >= MIN_FONT, name
        assert width <= MAX_WIDTH_PT, f"{name}: {width:.0f} pt wide, at most {MAX_WIDTH_PT:.0f}"
        assert smallest * min(1.0, COLUMN_PX / width) >= MIN_LABEL_PX or width * 4 / 3 <= COLUMN_PX, name
