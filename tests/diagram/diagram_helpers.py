"""Small helpers shared by the diagram tests."""

from __future__ import annotations

from pathlib import Path

from shared import REFERENCE as REFERENCE_SPEC
from shared import ROOT

# Paths live here rather than in conftest.py: several test directories have a conftest.py, and
# `from conftest import ...` resolves to whichever was imported last when they are collected together.
FIXTURES = Path(__file__).parent / "fixtures"
GENERATED = ROOT / "generated" / "diagrams"
"""The committed text renderings are the golden files (tests/diagram/test_generated_current.py)."""

__all__ = ["FIXTURES", "GENERATED", "REFERENCE_SPEC", "ancestry", "edges_of"]


DIAGRAMS = (
    "overview",
    "lambda",
    "lambda-functions",
    "dynamodb",
    "s3",
    "api",
    "api-features",
    "security-edge",
    "security-api",
    "security-application",
    "security-data",
    "cost",
)
"""The diagrams the reference spec's seven views give (split views give several)."""


def edges_of(view) -> set[tuple[str, str, str]]:
    """(source, target, label) of every edge of a view."""
    return {(e.source, e.target, e.label) for e in view.edges}


def ancestry(view, item_id: str) -> list[str]:
    """Group ids enclosing a node or group, innermost first."""
    ids = {n.id: n.group for n in view.nodes} | {g.id: g.parent for g in view.groups}
    chain = []
    parent = ids[item_id]
    while parent is not None:
        chain.append(parent)
        parent = ids[parent]
    return chain
