"""Small helpers shared by the diagram tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

# Paths live here rather than in conftest.py: several test directories have a conftest.py, and
# `from conftest import ...` resolves to whichever was imported last when they are collected together.
ROOT = Path(__file__).resolve().parents[2]
REFERENCE_SPEC = ROOT / "specs" / "reference.yaml"
GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent / "fixtures"
GENERATED = ROOT / "generated" / "diagrams"


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


def optional_off_doc(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of a spec document with the optional ALB, VPC link, bastion and RDS switched off (and what
    depends on them: ALB targets, vpc_link integrations, database functions, the RDS nag suppression)."""
    doc = copy.deepcopy(doc)
    doc["network"]["alb"]["enabled"] = False
    doc["network"]["alb"].pop("targets", None)
    doc["network"]["bastion"]["enabled"] = False
    doc["rds"]["enabled"] = False
    doc["api"]["vpc_link"]["enabled"] = False
    for fn in doc["functions"].values():
        fn.pop("database", None)
    for methods in doc["api"]["routes"].values():
        for method in methods.values():
            if isinstance(method, dict) and method.get("integration") == "vpc_link":
                del method["integration"]
    doc["compliance"]["nag_suppressions"] = [
        entry for entry in doc["compliance"]["nag_suppressions"] if entry.get("resource") != "rds"
    ]
    return doc
