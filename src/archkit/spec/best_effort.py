"""Best-effort cross-reference checks on a spec that still has field errors.

pydantic runs the cross-reference validator only on an otherwise valid model, so a user fixing a spec
would meet its dangling references only after every field error is fixed. Instead we set aside each part
with a field error — the bad field falls back to its default, or the map entry / list item holding a bad
required field is removed — validate the rest, and report its reference problems with the field errors.

To avoid noise, a reference problem is not reported when it sits inside the entry that had the field
error (its values are not what the user wrote), when it names something that was set aside (it exists,
just with an error), or at all when a whole top-level key or a system-wide setting (region, availability
zones, environment) had to be set aside.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from archkit.spec.diagnostics import clean_loc, one_per_root_cause, reference_issues_of, walk
from archkit.spec.errors import Loc, SpecIssue
from archkit.spec.source import Source

_REMOVABLE = ("optional", "extra", "entry", "item")
_CONTAINERS = ("entry", "item")
_IDENTITY_FIELDS = ("path", "id", "sid", "service", "az", "cidr", "name")


def _target(err: Any) -> Loc | None:
    """The part to set aside for one error: the bad field if it has a default, else its entry or item."""
    loc = clean_loc(err)
    kinds = [kind for kind, _ in walk(loc)]
    for cut in range(len(loc), 0, -1):
        if kinds[cut - 1] in _REMOVABLE and not (err["type"] == "missing" and cut == len(loc)):
            return loc[:cut]
    return None


def _unit(target: Loc) -> Loc:
    """The entry, item or top-level section the target belongs to: reference issues inside it are dropped."""
    kinds = [kind for kind, _ in walk(target)]
    for cut in range(len(target), 0, -1):
        if kinds[cut - 1] in _CONTAINERS:
            return target[:cut]
    return target[:1]


def _get(doc: Any, loc: Loc) -> Any:
    for part in loc:
        in_dict = isinstance(doc, dict) and part in doc
        if in_dict or (isinstance(doc, list) and isinstance(part, int) and 0 <= part < len(doc)):
            doc = doc[part]
        else:
            raise LookupError(loc)
    return doc


def _mentions(target: Loc, kind: str, value: Any) -> set[str]:
    """Names a removed entry or item is known by, so that references to it are not reported as dangling."""
    names: set[str] = set()
    if kind == "entry":
        names.add(str(target[-1]))
    if isinstance(value, str):
        names.add(value)
    elif isinstance(value, dict):
        names |= {v for k, v in value.items() if k in _IDENTITY_FIELDS and isinstance(v, str)}
    return names


def best_effort_reference_issues(
    resolved: dict[str, Any], exc: ValidationError, source: Source
) -> list[SpecIssue]:
    """Reference issues of ``resolved`` with the parts named by ``exc`` set aside (see module docstring)."""
    from archkit.spec.system import ArchSpec

    targets: set[Loc] = set()
    for err in exc.errors(include_url=False):
        target = _target(err)
        if target is None or len(target) == 1:
            return []  # a required root field or a whole section: too much of the spec depends on it
        targets.add(target)
    pruned = copy.deepcopy(resolved)
    units: set[Loc] = set()
    mentions: set[str] = set()
    removed_items: dict[Loc, set[int]] = {}
    # Deepest first, so a parent's removal cannot invalidate a child's path.
    for target in sorted(targets, key=len, reverse=True):
        if any(target[: len(other)] == other for other in targets if len(other) < len(target)):
            continue  # an ancestor is set aside anyway
        kind = list(walk(target))[-1][0]
        try:
            parent, value = _get(pruned, target[:-1]), _get(pruned, target)
        except LookupError:
            return []
        units.add(_unit(target))
        if kind in _CONTAINERS:
            mentions |= _mentions(target, kind, value)
        if isinstance(parent, dict):
            del parent[target[-1]]
        else:
            removed_items.setdefault(target[:-1], set()).add(int(target[-1]))
    for list_loc, indexes in removed_items.items():
        items = _get(pruned, list_loc)
        items[:] = [item for i, item in enumerate(items) if i not in indexes]
    try:
        ArchSpec.model_validate(pruned)
    except ValidationError as again:
        refs: list[tuple[Loc, str]] = []
        for err in again.errors(include_url=False):
            found = reference_issues_of(err)
            if found is None:
                return []  # still not a valid model: give up quietly, the field errors come first
            refs.extend(found)
        kept: list[tuple[Loc, str]] = []
        for loc, message in refs:
            original = _original_loc(tuple(loc), removed_items)
            if any(original[: len(unit)] == unit for unit in units):
                continue
            if any(f"'{name}'" in message for name in mentions):
                continue
            kept.append((original, message))
        return one_per_root_cause(kept, source)
    return []


def _original_loc(loc: Loc, removed_items: dict[Loc, set[int]]) -> Loc:
    """Map a path in the pruned document back to the document as written (list items shifted up)."""
    out: list[str | int] = []
    for part in loc:
        removed = removed_items.get(tuple(out))
        if removed and isinstance(part, int):
            kept = [i for i in range(part + len(removed) + 1) if i not in removed]
            part = kept[part]
        out.append(part)
    return tuple(out)
