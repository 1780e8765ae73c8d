"""Environments: one spec, several deployments. Resolving one merges its overrides over the document.

An override is a partial document under ``environments.<name>``; maps merge key by key, anything else
(scalars, lists) is replaced. A ``*`` key applies to every entry of a map, e.g.
``dev: {functions: {"*": {memory: 256}}}``. Positions move with the values, so an error in an
overridden value points at the override's line.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from archkit.spec.errors import Loc, SpecError
from archkit.spec.source import Source

WILDCARD = "*"
DEFAULT_ENVIRONMENT = "prod"
_FIXED_KEYS = ("environments", "environment")


def relocate(value: Any, loc: Loc, src_loc: Loc, source: Source) -> None:
    """Make ``loc`` (and everything under it) point at where ``src_loc`` was written."""
    for table in (source.keys, source.values):
        if src_loc in table:
            table[loc] = table[src_loc]
    if src_loc in source.raw:
        source.raw[loc] = source.raw[src_loc]
    if src_loc in source.blocks:
        source.blocks[loc] = True
    if isinstance(value, dict):
        for key, child in value.items():
            relocate(child, (*loc, key), (*src_loc, key), source)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            relocate(child, (*loc, i), (*src_loc, i), source)


def _merge(base: Any, override: Any, loc: Loc, src_loc: Loc, source: Source | None) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            targets = list(merged) if key == WILDCARD else [key]
            for target in targets:
                child, src_child = (*loc, target), (*src_loc, key)
                if target in merged:
                    merged[target] = _merge(merged[target], value, child, src_child, source)
                else:
                    merged[target] = _replace(value, child, src_child, source)
                    close = difflib.get_close_matches(str(target), [str(k) for k in base], n=1, cutoff=0.8)
                    if source is not None and close and isinstance(value, dict):
                        source.added[child] = close[0]
        return merged
    return _replace(override, loc, src_loc, source)


def _replace(value: Any, loc: Loc, src_loc: Loc, source: Source | None) -> Any:
    if source is not None:
        relocate(value, loc, src_loc, source)
        source.origins[loc] = src_loc
    return copy.deepcopy(value)


def _unknown_environment(name: str, declared: list[str], requested: bool) -> str:
    how = "requested environment" if requested else "environment"
    msg = f"{how} '{name}' is not declared in `environments`"
    close = difflib.get_close_matches(name, declared, n=1)
    return msg + (f"; did you mean '{close[0]}'?" if close else f" (declared: {', '.join(declared)})")


def resolve_environment(doc: dict[str, Any], env: str | None, source: Source | None = None) -> dict[str, Any]:
    """The document with the overrides of ``env`` (default: the document's ``environment``) merged in.

    ``source`` (if given) is updated so that overridden paths point at the override's text.
    """
    src = source if source is not None else Source()
    overrides = doc.get("environments") or {}
    name = env or doc.get("environment") or DEFAULT_ENVIRONMENT
    if not isinstance(overrides, dict) or not isinstance(name, str):
        return doc  # the model reports the wrong type
    if overrides and name not in overrides:
        declared = sorted(str(k) for k in overrides)
        if env:
            raise SpecError(
                [src.issue(("environments",), _unknown_environment(name, declared, True), prefer_key=True)]
            )
        raise SpecError([src.issue(("environment",), _unknown_environment(name, declared, False))])
    override = overrides.get(name)
    resolved = dict(doc)
    if isinstance(override, dict):
        for key in _FIXED_KEYS:
            if key in override:
                loc: Loc = ("environments", name, key)
                raise SpecError([src.issue(loc, "an environment cannot override this key", prefer_key=True)])
        resolved = _merge(resolved, override, (), ("environments", name), source)
    resolved["environment"] = name
    return resolved
