"""Spec -> desired states: what a correct deployment of the spec looks like, in the normalized state types.

Every resource of the inventory (`archkit.spec.inventory.resources`) whose CloudFormation type has a kind
(`archkit.verify.kinds`) gets its state(s) from that kind's builder; route tables follow their subnet.
Imports pydantic (via the spec) only.
"""

from __future__ import annotations

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource, resources
from archkit.verify.kinds import kind_of
from archkit.verify.kinds.base import API_ORIGIN, method_key, record_key, route_table_path, rule_key
from archkit.verify.state import ResourceState


def unsupported_resources(spec: ArchSpec) -> list[Resource]:
    """Declared resources verify has no kind for (reported `not_checked`, reason `unsupported`)."""
    return [r for r in resources(spec) if kind_of(r.type) is None]


def desired_states(spec: ArchSpec) -> list[ResourceState]:
    """Every desired state of the spec, in inventory order (route tables follow their subnet)."""
    out: list[ResourceState] = []
    for res in resources(spec):
        kind = kind_of(res.type)
        if kind is not None:
            out.extend(kind.desired(spec, res))
    return out


def desired_by_path(spec: ArchSpec) -> dict[str, ResourceState]:
    return {s.path: s for s in desired_states(spec)}


__all__ = [
    "API_ORIGIN",
    "desired_by_path",
    "desired_states",
    "method_key",
    "record_key",
    "route_table_path",
    "rule_key",
    "unsupported_resources",
]
