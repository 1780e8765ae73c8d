"""Fixtures of the diagram tests: the reference views and their renderings, built once per session."""

from __future__ import annotations

from typing import Any

import pytest

from shared import everything_off_doc
from shared import reference_doc as reference_document


@pytest.fixture(scope="session")
def reference_doc() -> dict[str, Any]:
    return reference_document()


@pytest.fixture(scope="session")
def views(reference_spec):
    from archkit.diagram import build_views

    return build_views(reference_spec)


@pytest.fixture(scope="session")
def dot_sources(views) -> dict[str, str]:
    from archkit.diagram.render.graphviz import to_dot

    return {name: to_dot(view) for name, view in views.items()}


@pytest.fixture(scope="session")
def rendered(views) -> dict[str, dict[str, bytes]]:
    """Every view of the reference spec in svg, dot, txt and mmd (one dot run per view)."""
    from archkit.diagram import render_view

    return {name: render_view(view, ["svg", "dot", "txt", "mmd"]) for name, view in views.items()}


@pytest.fixture(scope="session")
def all_off_spec():
    """The reference spec with every optional element (ALB, bastion, RDS, VPC link) disabled, drawn as
    placeholders (``diagrams.show_disabled``)."""
    from archkit.spec import spec_from_dict

    return spec_from_dict({**everything_off_doc(), "diagrams": {"show_disabled": True}})


@pytest.fixture(scope="session")
def off_views(all_off_spec):
    from archkit.diagram import build_views

    return build_views(all_off_spec, ["overview", "api"])


@pytest.fixture(scope="session")
def tiny_spec():
    """A one-function spec without edge, subnets, tables or buckets."""
    from archkit.spec import spec_from_dict

    return spec_from_dict(
        {
            "project": "tiny",
            "owner": "me",
            "edge": {"cdn": {"enabled": False}, "dns": {"enabled": False}, "waf": {"enabled": False}},
            "network": {"nat_gateways": 0},
            "functions": {"hello": {"handler": "app.handler", "vpc": False}},
        }
    )
