"""Spec-level changes: resources added, removed, renamed or changed, from the inventory and resolved specs.

Every attribute of the resolved spec (defaults explicit, the environment applied) is compared as a dotted
leaf path; a leaf belongs to the resource whose spec path is its longest dotted prefix, and leaves under no
resource (``network.nat_gateways``, ``availability_zones``) are spec-wide settings. Imports pydantic only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from archkit.diff.model import AttributeChange, ResourceChange
from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource, resources

IGNORED_TOP_LEVEL = frozenset({"environments"})
"""The other environments' overrides: the resolved spec of the selected one already holds what applies."""


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by dotted path; lists of mappings by index, lists of scalars as one value, empty mappings
    as nothing (so ``{}`` → ``{a: 1}`` is one added leaf, not a removed ``{}``)."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{i}"))
    elif prefix:
        out[prefix] = value
    return out


def spec_leaves(spec: ArchSpec) -> dict[str, Any]:
    data = spec.model_dump(mode="json")
    return flatten({k: v for k, v in data.items() if k not in IGNORED_TOP_LEVEL})


def owner(paths: Iterable[str], leaf: str) -> str | None:
    """The longest resource path equal to ``leaf`` or a dotted prefix of it."""
    best = None
    for path in paths:
        if (leaf == path or leaf.startswith(path + ".")) and (best is None or len(path) > len(best)):
            best = path
    return best


def _relative(leaves: dict[str, Any], path: str, all_paths: Iterable[str]) -> dict[str, Any]:
    paths = list(all_paths)
    return {k[len(path) + 1 :]: v for k, v in leaves.items() if owner(paths, k) == path and k != path}


def attribute_changes(old: dict[str, Any], new: dict[str, Any]) -> list[AttributeChange]:
    return [
        AttributeChange(key, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


def leaf_changes(base: ArchSpec, head: ArchSpec) -> list[AttributeChange]:
    """Every changed leaf of the resolved specs, by full dotted spec path."""
    return attribute_changes(spec_leaves(base), spec_leaves(head))


def spec_changes(base: ArchSpec, head: ArchSpec) -> tuple[list[ResourceChange], list[AttributeChange]]:
    """Per-resource changes (in HEAD's inventory order, removed ones after) and spec-wide setting changes."""
    old_res: dict[str, Resource] = {r.path: r for r in resources(base)}
    new_res: dict[str, Resource] = {r.path: r for r in resources(head)}
    paths = old_res.keys() | new_res.keys()
    old_leaves, new_leaves = spec_leaves(base), spec_leaves(head)

    changes: list[ResourceChange] = []
    for path, res in new_res.items():
        before = old_res.get(path)
        if before is None:
            continue
        attrs = attribute_changes(_relative(old_leaves, path, paths), _relative(new_leaves, path, paths))
        if before.name != res.name:
            changes.append(
                ResourceChange(
                    "renamed", path, res.type, res.name, old_name=before.name, attributes=tuple(attrs)
                )
            )
        elif attrs or before.type != res.type:
            changes.append(ResourceChange("changed", path, res.type, res.name, attributes=tuple(attrs)))

    added = [r for p, r in new_res.items() if p not in old_res]
    removed = [r for p, r in old_res.items() if p not in new_res]
    # A key renamed with nothing else changed: the same resource under a new path and name.
    for new in list(added):
        body = _relative(new_leaves, new.path, paths)
        match = next(
            (o for o in removed if o.type == new.type and _relative(old_leaves, o.path, paths) == body), None
        )
        if match is not None:
            added.remove(new)
            removed.remove(match)
            changes.append(
                ResourceChange(
                    "renamed", new.path, new.type, new.name, old_path=match.path, old_name=match.name
                )
            )
    changes += [ResourceChange("added", r.path, r.type, r.name) for r in added]
    changes += [ResourceChange("removed", r.path, r.type, r.name) for r in removed]

    settings = attribute_changes(
        {k: v for k, v in old_leaves.items() if owner(paths, k) is None},
        {k: v for k, v in new_leaves.items() if owner(paths, k) is None},
    )
    order = {p: i for i, p in enumerate([*new_res, *old_res])}
    changes.sort(key=lambda c: order.get(c.path, len(order)))
    return changes, settings
