"""Which template properties CloudFormation cannot update in place: a compact copy of the resource schemas'
``createOnlyProperties`` (and ``conditionalCreateOnlyProperties``) for the types archkit emits.

Refreshed from cfn-lint by ``scripts/refresh_create_only.py``; a test proves the copy equals what the
installed cfn-lint says. Property paths are relative to ``Properties`` (``KeySchema``,
``VpcConfig/SubnetIds``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "create_only.json"
SCHEMA_REGION = "us-east-1"


@dataclass(frozen=True)
class CreateOnly:
    create_only: tuple[str, ...]
    conditional: tuple[str, ...]
    properties: frozenset[str]
    """Every top-level property of the type's schema; the rest of them update in place."""


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return loaded


def source() -> str:
    return str(_data()["source"])


def known_types() -> set[str]:
    return set(_data()["types"])


def is_custom_resource(resource_type: str) -> bool:
    """A custom resource (``Custom::*``): it has no resource schema, and whether an update replaces it is the
    provider's answer at deploy time (a new physical id). archkit's own (CDK's AwsCustomResource calls, e.g.
    emptying the default security group) hold no data, so none is stateful and none has a copy here."""
    return resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource"


def create_only(resource_type: str) -> CreateOnly | None:
    """The create-only properties of a type; None when the copy has no entry (a test guards against that)."""
    entry = _data()["types"].get(resource_type)
    if entry is None:
        return None
    return CreateOnly(
        tuple(entry["create_only"]), tuple(entry["conditional"]), frozenset(entry["properties"])
    )


_MISSING = object()


def property_value(properties: dict[str, Any], path: str) -> Any:
    """The value at a schema property path (``A/B``; ``*`` for every list item), or a sentinel when absent."""
    values: list[Any] = [properties]
    for part in path.split("/"):
        nxt: list[Any] = []
        for value in values:
            if part == "*" and isinstance(value, list):
                nxt.extend(value)
            elif isinstance(value, dict) and part in value:
                nxt.append(value[part])
        values = nxt
    if not values:
        return _MISSING
    return values if "*" in path else values[0]


def changed(old: dict[str, Any], new: dict[str, Any], path: str) -> bool:
    return property_value(old, path) != property_value(new, path)
