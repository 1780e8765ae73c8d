"""One diff: both sides' spec changes, template changes and consequences, as a :class:`DiffReport`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, replace

from archkit.diff.carriers import replacement
from archkit.diff.consequences import (
    destructive_consequences,
    lever_consequences,
    rule_consequences,
    spec_destructive,
    suppression_consequences,
)
from archkit.diff.model import CLASSES, Consequence, DiffReport, Replacement, ResourceChange
from archkit.diff.sides import Side
from archkit.diff.spec_changes import leaf_changes, spec_changes
from archkit.diff.templates import TemplateChange
from archkit.spec.inventory import resources


def _attach_replacements(
    changes: list[ResourceChange], template_changes: list[TemplateChange]
) -> list[ResourceChange]:
    """Each changed resource with the replacements its templates undergo; a replaced resource whose spec
    attributes did not change (a derived property did) is listed as changed."""
    by_path: dict[str, list[Replacement]] = {}
    for tc in template_changes:
        if tc.kind == "replaced" and tc.resource.path and tc.replacement is not None:
            by_path.setdefault(tc.resource.path, []).append(tc.replacement)
    out = []
    for change in changes:
        reps = by_path.pop(change.path, [])
        keep = change.kind in ("changed", "renamed")
        out.append(replace(change, replacements=tuple(reps)) if keep else change)
    for tc in template_changes:
        path = tc.resource.path
        if path is not None and path in by_path:
            reps = by_path.pop(path)
            out.append(ResourceChange("changed", path, tc.resource.type, path, replacements=tuple(reps)))
    return out


def _order(consequences: list[Consequence]) -> list[Consequence]:
    """Most serious class first, worse before changed before better, then by resource."""
    effect = {"worse": 0, "changed": 1, "better": 2}
    unique = list({json.dumps(asdict(c), sort_keys=True, default=str): c for c in consequences}.values())
    return sorted(unique, key=lambda c: (CLASSES.index(c.cls), effect[c.effect], c.resource))


def _spec_replacements(changes: list[ResourceChange], base_types: dict[str, str]) -> list[ResourceChange]:
    """Each changed resource with the replacement its spec change implies (:mod:`archkit.diff.carriers`)."""
    out = []
    for change in changes:
        rep = replacement(change, base_types.get(change.path))
        out.append(replace(change, replacements=(rep,)) if rep is not None else change)
    return out


def diff_sides(
    base: Side, head: Side, *, synth: bool = False, progress: Callable[[str], None] | None = None
) -> DiffReport:
    """Compare two loaded sides. Replacements come from the spec change, the carriers of
    :mod:`archkit.diff.carriers` and the create-only data (no CDK); with ``synth`` both sides are synthesized
    (cached) and their templates compared property by property instead."""
    changes, settings = spec_changes(base.spec, head.spec)
    report = DiffReport(base.label, head.label, head.spec.environment, synthesized=synth)
    if base.text == head.text and base.spec == head.spec:
        return report
    paths = {r.path for r in resources(base.spec)} | {r.path for r in resources(head.spec)}
    # Resources added or removed as a whole, and keys renamed with nothing else changed: their leaves are
    # not attribute changes.
    gone = {c.path for c in changes if c.kind in ("added", "removed")}
    gone |= {p for c in changes if c.old_path for p in (c.path, c.old_path)}
    consequences = lever_consequences(leaf_changes(base.spec, head.spec), paths, gone)
    consequences += rule_consequences(base.spec, head.spec, base.label, head.label)
    consequences += suppression_consequences(base.spec, head.spec)
    if synth and (changes or settings):
        from archkit.diff.templates import synthesize_side, template_changes

        tcs = template_changes(synthesize_side(base, progress), synthesize_side(head, progress))
        consequences += destructive_consequences(tcs, changes)
        changes = _attach_replacements(changes, tcs)
    elif not synth:
        changes = _spec_replacements(changes, {r.path: r.type for r in resources(base.spec)})
        consequences += spec_destructive(changes)
    report.changes = changes
    report.settings = settings
    report.consequences = _order(consequences)
    return report
