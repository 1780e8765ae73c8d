"""Drift overlay: verify findings (hand-written fixture of the contract in docs/design.md) colour nodes."""

from __future__ import annotations

import json

import pytest
from diagram_helpers import FIXTURES

from archkit.diagram import DiagramError, apply_overlay, load_overlay, parse_overlay
from archkit.diagram.overlay import unmatched
from archkit.diagram.render.graphviz import to_dot
from archkit.diagram.render.mermaid import to_mermaid
from archkit.diagram.render.text import to_text

VERIFY = FIXTURES / "verify.json"


@pytest.fixture(scope="module")
def overlay():
    return load_overlay(VERIFY)


@pytest.fixture(scope="module")
def coloured(views, overlay):
    return {name: apply_overlay(view, overlay) for name, view in views.items()}


def test_findings_parse(overlay):
    assert len(overlay.findings) == 8
    assert overlay.summary["drift"] == 4
    assert [f.status for f in overlay.findings] == [
        "missing",
        "changed",
        "changed",
        "non_compliant",
        "non_compliant",
        "not_checked",
        None,
        "missing",
    ]


def test_finding_on_a_resource_colours_its_node(coloured):
    overview = coloured["overview"]
    assert overview.node("buckets.logs").status == "missing"
    assert overview.node("buckets.assets").status == "non_compliant"
    assert overview.node("edge.waf").status == "not_checked"
    assert overview.node("api").status == "clean"
    assert overview.node("edge.dns").status == "clean"


def test_a_finding_on_a_child_marks_the_child_or_the_owner_names_it(coloured):
    # dynamodb draws the index and the PITR setting: each carries its own finding, the table none.
    dynamodb = coloured["dynamodb"]
    assert dynamodb.node("tables.main.indexes.by_status").status == "non_compliant"
    assert dynamodb.node("tables.main.indexes.by_status").marks == ("⚠ ARCH-DDB-004",)
    assert dynamodb.node("tables.main.point_in_time_recovery").status == "changed"
    assert dynamodb.node("tables.main").status == "clean"
    assert dynamodb.node("tables.main.billing").status == "clean"
    # The overview does not draw the index: the table says which child failed which rule.
    table = coloured["overview"].node("tables.main")
    assert table.status == "changed"
    assert table.marks == ("Δ point_in_time_recovery: changed", "⚠ indexes.by_status: ARCH-DDB-004")


def test_function_finding_marks_the_aggregate_lambda_nodes_and_names_the_function(coloured):
    overview = coloured["overview"]
    for i in range(3):
        node = overview.node(f"network.private_subnets.{i}.functions")
        assert node.status == "changed" and node.marks == ("Δ get_user: memory",)
    catalogue = coloured["lambda-functions"]
    assert catalogue.node("functions.get_user").status == "changed"
    assert catalogue.node("functions.add_user").status == "clean"


def test_context_and_disabled_nodes_stay_uncoloured(coloured, off_views, overlay):
    overview = coloured["overview"]
    assert overview.node("internet").status is None
    assert overview.node("rds").status == "clean"  # enabled in the reference, no finding: verified clean
    off = apply_overlay(off_views["overview"], overlay)
    assert off.node("rds").status is None  # optional, off: not deployed, nothing to verify
    assert off.node("network.alb").status is None and off.node("network.bastion").status is None
    assert off.node("tables.main").status == "changed"
    assert coloured["s3"].node("buckets.assets/static/").status is None


def test_legend_counts_and_notes(coloured):
    overview = coloured["overview"]
    legend = dict(overview.legend)
    assert list(legend) == ["missing", "changed", "non_compliant", "not_checked", "clean"]  # no suppressed
    assert legend["missing"] == 1 and legend["changed"] == 4 and legend["not_checked"] == 1
    assert legend["non_compliant"] == 1
    assert sum(legend.values()) == len([n for n in overview.nodes if n.status])
    assert overview.notes == ("1 unmanaged resource found in the account is not in the spec and not drawn.",)


def test_unmatched_findings_are_reported(views, overlay):
    assert [f.resource for f in unmatched(views, overlay)] == ["queues.orders"]


def test_overlay_reaches_every_renderer(coloured):
    dot = to_dot(coloured["overview"])
    line = next(x for x in dot.splitlines() if x.strip().startswith('"buckets.logs" ['))
    assert 'color="#882255"' in line and "✖ missing" in line and 'style="rounded,filled,bold,dashed"' in line
    # Clean nodes keep their AWS look: no frame, no fill.
    dns = next(x for x in dot.splitlines() if x.strip().startswith('"edge.dns" ['))
    assert "shape=plain" in dns and "fillcolor" not in dns
    # The rule id is on the node, the findings table and the legend under the diagram.
    assert "⚠ ARCH-S3-003" in next(x for x in dot.splitlines() if x.strip().startswith('"buckets.assets" ['))
    footer = next(x for x in dot.splitlines() if x.strip().startswith('"footer#1" ['))
    assert "<B>Findings</B>" in footer and "ARCH-DDB-004" in footer and "does not exist" in footer
    assert "missing: 1" in next(x for x in dot.splitlines() if x.strip().startswith('"footer#0" ['))
    text = to_text(coloured["overview"])
    assert "S3 bucket logs [✖ missing]" in text
    assert "Drift overlay: [✖ missing] 1 · [Δ changed] 4" in text
    assert "⚠ non-compliant · S3 static assets · ARCH-S3-003 · bucket allows requests without TLS" in text
    mmd = to_mermaid(coloured["overview"])
    assert "classDef missing fill:#F6E6EE,stroke:#882255,stroke-width:3px,stroke-dasharray:6 3" in mmd
    assert "classDef clean" not in mmd
    assert any(
        line.startswith("  class ") and "n_buckets_logs" in line and line.endswith(" missing")
        for line in mmd.splitlines()
    )


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "an object with a 'findings' list"),
        (
            {"findings": [{"kind": "oops", "resource": "tables.main"}]},
            r"findings\[0\]: 'kind' must be one of",
        ),
        (
            {"findings": [{"kind": "drift", "resource": "tables.main"}]},
            r"findings\[0\]: a drift finding needs 'change'",
        ),
        ({"findings": [{"kind": "compliance", "resource": 3}]}, r"'resource' must be the spec path"),
    ],
)
def test_bad_reports_are_rejected(doc, message):
    with pytest.raises(DiagramError, match=message):
        parse_overlay(doc, "verify.json")


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "verify.json"
    path.write_text('{"summary": {},\n "findings": [,]}', encoding="utf-8")
    with pytest.raises(DiagramError, match=r"verify.json:2:15: not valid JSON"):
        load_overlay(path)


def test_fixture_follows_the_contract():
    doc = json.loads(VERIFY.read_text(encoding="utf-8"))
    keys = {
        "kind",
        "change",
        "rule_id",
        "resource",
        "resource_type",
        "physical_id",
        "attribute",
        "expected",
        "actual",
        "severity",
        "message",
    }
    assert set(doc) == {"summary", "findings"}
    assert all(set(f) == keys for f in doc["findings"])


def test_api_method_attribute_colours_the_method_node(views):
    report = parse_overlay(
        {
            "summary": {},
            "findings": [
                {
                    "kind": "drift",
                    "change": "changed",
                    "resource": "api",
                    "attribute": "methods.GET /api/users/{id}.authorizer",
                    "expected": "jwt",
                    "actual": None,
                },
            ],
        }
    )
    api = apply_overlay(views["api"], report)
    method = api.node("api.routes./api/users/{id}.GET")
    assert method.status == "changed" and method.marks == ("Δ authorizer",)
    # The method is drawn: it carries the finding, the API node stays clean.
    assert api.node("api").status == "clean"
    assert api.node("api.routes./api/users/{id}.PUT").status == "clean"
    # Where methods are not drawn (the overview), the API names the method.
    overview = apply_overlay(views["overview"], report)
    assert overview.node("api").status == "changed"
    assert overview.node("api").marks == ("Δ methods.GET /api/users/{id}.authorizer: changed",)


def test_a_suppressed_finding_is_drawn_suppressed_not_failed(views):
    report = parse_overlay(
        {
            "summary": {},
            "findings": [
                {
                    "kind": "compliance",
                    "rule_id": "ARCH-S3-003",
                    "resource": "buckets.assets",
                    "attribute": "enforce_tls",
                    "suppressed": True,
                    "suppression": "public website bucket",
                    "message": "bucket allows requests without TLS",
                },
            ],
        }
    )
    overview = apply_overlay(views["overview"], report)
    node = overview.node("buckets.assets")
    assert node.status == "suppressed" and node.marks == ("⊘ ARCH-S3-003",)
    assert dict(overview.legend)["suppressed"] == 1 and dict(overview.legend)["non_compliant"] == 0
    assert [(r.node, r.status, r.what) for r in overview.findings] == [
        ("S3 static assets", "suppressed", "ARCH-S3-003")
    ]
    line = next(x for x in to_dot(overview).splitlines() if x.strip().startswith('"buckets.assets" ['))
    assert "⊘ suppressed" in line and "non-compliant" not in line
