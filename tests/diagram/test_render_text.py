"""Text (box drawing) and Mermaid renderings. The committed generated/diagrams/<view>.txt are their golden
files (tests/diagram/test_generated_current.py)."""

from __future__ import annotations

import re

import pytest
from diagram_helpers import DIAGRAMS

from archkit.diagram.render.mermaid import to_mermaid
from archkit.diagram.render.text import WIDTH, to_text, width_of


@pytest.mark.parametrize("name", DIAGRAMS)
def test_text_lines_are_framed_and_equal_width(views, name):
    lines = to_text(views[name]).splitlines()
    assert lines[0].startswith("┌") and lines[-1].startswith("└")
    assert {width_of(line) for line in lines} == {WIDTH}
    assert lines[1] == "│ " + views[name].title.ljust(WIDTH - 4) + " │"


def test_text_draws_seed_elements(views, off_views):
    overview = to_text(views["overview"])
    assert "┌─ VPC 10.0.0.0/16 " in overview
    assert "CloudFront CDN ──origin static/──▶ S3 static assets" in overview
    assert "Private subnets · Lambda tier (9 functions) ──SQL · auth──▶ RDS postgres primary" in overview
    assert "╌╌admin" in overview and "forwarding)╌╌▶" in overview  # wrapped in AZ a's narrow frame
    assert "Application Load Balancer ──forwards──▶ Private subnets · Lambda tier (9 functions)" in overview
    assert "API Gateway REST API ──VPC link──▶ Application Load Balancer" in overview
    # The flow reads top-down like the diagram, and the AZ frames sit side by side in order a, b, c.
    assert overview.index("Internet") < overview.index("┌─ VPC") < overview.index("┌─ Public subnets")
    assert (
        overview.index("┌─ Public subnets")
        < overview.index("┌─ Private subnets")
        < overview.index("┌─ DB subnet")
    )
    az_row = next(line for line in overview.splitlines() if "┌─ us-east-1a" in line)
    assert az_row.index("us-east-1a") < az_row.index("us-east-1b") < az_row.index("us-east-1c")
    assert "╎ RDS (optional, off) ╎" in to_text(off_views["overview"])
    s3 = to_text(views["s3"])
    assert "│ │ ├── static/ · CloudFront origin " in s3
    assert "│ │ │   ├── css/ · Stylesheets " in s3
    assert "│ │ │   │   └── documents/ · A user's documents " in s3
    assert "│ │ └── backups/ · Automated backups " in s3
    api = to_text(views["api"])
    assert "GET · auth: jwt · validates params  ──▶ Lambda get_user" in api
    features = to_text(views["api-features"])
    assert "Target group get_items ──invokes──▶ Lambda get_items" in features
    assert "Custom authorizer jwt ──invokes──▶ Lambda authorizer" in features


def test_text_handles_wide_characters():
    from archkit.diagram.model import ViewBuilder

    b = ViewBuilder("wide", "幅の広い文字")
    b.node("a", "表", "feature", details=["データ"])
    lines = to_text(b.build()).splitlines()
    assert {width_of(line) for line in lines} == {WIDTH}


def test_mermaid_structure(views, off_views):
    mmd = to_mermaid(views["overview"])
    lines = mmd.splitlines()
    assert lines[:2] == ["%% AWS Infrastructure Overview", "flowchart TB"]
    assert '  subgraph g_network_vpc["VPC 10.0.0.0/16 · 3 availability zones"]' in lines
    # Same order as the other renderers: AZ a, b, c; public subnets above the Lambda tier (invisible links).
    subgraphs = [
        line.strip()
        for line in lines
        if line.strip().startswith("subgraph g_network_p") and "subnets_" in line
    ]
    assert [x.split('"')[1].split(" ·")[0] for x in subgraphs] == [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
    ] * 2
    assert "  n_network_alb ~~~ n_network_private_subnets_0_functions" in lines
    assert '  n_edge_cdn-->|"origin static/"|n_buckets_assets' in lines
    assert '  n_edge_waf-.->|"filters"|n_edge_cdn' in lines
    # The reference enables the optional boxes; switched off they share the "off" class.
    assert not any(line.startswith("  class ") and line.endswith(" off") for line in lines)
    assert (
        "  class n_network_bastion,n_network_alb,n_rds off" in to_mermaid(off_views["overview"]).splitlines()
    )
    assert "style=invis" not in mmd and "n_network_nat_gateways_0-->n_network_alb" not in mmd
    assert mmd.count("subgraph ") == mmd.count("\n  end") + mmd.count("\n    end") + mmd.count(
        "\n      end"
    ) + mmd.count("\n        end")


def test_mermaid_ids_are_safe_and_unique(views):
    for name, view in views.items():
        mmd = to_mermaid(view)
        ids = re.findall(r"^\s+(n_[A-Za-z0-9_]+)[\[(]", mmd, re.M)
        assert len(ids) == len(view.nodes) == len(set(ids)), name
    api = to_mermaid(views["api"])
    assert 'n_api_routes__api_users__id__DELETE("DELETE<br/>auth: jwt<br/>validates params")' in api
    assert '("/{id}")' in api


def test_mermaid_escapes_quotes_and_hashes():
    from archkit.diagram.model import ViewBuilder

    b = ViewBuilder("esc", "Escapes")
    b.node("a", 'say "hi" #1 <b>', "feature")
    assert '("say #quot;hi#quot; #35;1 #lt;b#gt;")' in to_mermaid(b.build())
