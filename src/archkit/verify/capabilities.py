"""What an emulator endpoint says it cannot hold: `GET {endpoint}/_archkit/capabilities`.

An emulator (`archkit emulate`) publishes ``{"emulator": "...", "gaps": [{"resource_type", "attribute",
"reason"}]}``; ``attribute`` is a pattern over the attribute paths of that type's state (`*` and `?` are
wildcards, brackets are literal: ``methods[*].vpc_link``, ``egress[*prefix_list*]``; ``*`` alone is the whole
resource). verify reads it once when pointed at an endpoint and reports every matching attribute as
`not_checked` with the gap's reason, instead of judging what the emulator could not hold. A real account has
no such document (any error or a 404 means no gaps); nothing here knows which emulator it is.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from archkit.verify.kinds.base import matches_path
from archkit.verify.state import ResourceState

CAPABILITIES_PATH = "/_archkit/capabilities"
FETCH_TIMEOUT_SECONDS = 2.0
WHOLE_RESOURCE = "*"


@dataclass(frozen=True)
class Gap:
    resource_type: str
    attribute: str
    reason: str

    def matches(self, attribute: str) -> bool:
        return matches_path(self.attribute, attribute)


def parse(document: Any) -> list[Gap]:
    """The gaps of a capabilities document; malformed entries are skipped."""
    if not isinstance(document, dict) or not isinstance(document.get("gaps"), list):
        return []
    gaps = []
    for entry in document["gaps"]:
        if not isinstance(entry, dict):
            continue
        values = [entry.get(key) for key in ("resource_type", "attribute", "reason")]
        if all(isinstance(v, str) and v for v in values):
            gaps.append(Gap(*(str(v) for v in values)))
    return gaps


def fetch(endpoint_url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> list[Gap]:
    """The endpoint's declared gaps; none when it publishes no document (404, not JSON, unreachable)."""
    try:
        with urllib.request.urlopen(endpoint_url.rstrip("/") + CAPABILITIES_PATH, timeout=timeout) as resp:
            return parse(json.loads(resp.read() or b"null"))
    except (OSError, ValueError):  # HTTPError and URLError are OSErrors; a 404 means "no gaps"
        return []


def attribute_paths(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(attribute path, value) of every field and map entry, in drift's path notation."""
    from archkit.verify.drift import component

    if isinstance(value, dict):
        for key in sorted(value, key=str):
            sub = component(path, str(key))
            yield sub, value[key]
            yield from attribute_paths(value[key], sub)


def whole_resource_gaps(gaps: Sequence[Gap]) -> dict[str, str]:
    """CloudFormation type -> reason, for types the endpoint cannot hold at all."""
    return {g.resource_type: g.reason for g in gaps if g.attribute == WHOLE_RESOURCE}


def apply(
    observed: Sequence[ResourceState], desired: dict[str, ResourceState], gaps: Sequence[Gap]
) -> list[ResourceState]:
    """Observed states with every attribute a gap matches marked unreadable (`unsupported: <reason>`).

    An attribute counts where either side holds a value for it (a `None` on both sides states nothing)."""
    by_type: dict[str, list[Gap]] = {}
    for g in gaps:
        if g.attribute != WHOLE_RESOURCE:
            by_type.setdefault(g.resource_type, []).append(g)
    out = []
    for state in observed:
        relevant = by_type.get(state.resource_type)
        if not relevant:
            out.append(state)
            continue
        want = desired.get(state.path)
        paths: dict[str, bool] = {}
        for side in (state, want):
            if side is None:
                continue
            for path, value in attribute_paths(side.attributes()):
                paths[path] = paths.get(path, False) or value is not None
        unreadable = dict(state.unreadable)
        for path, has_value in paths.items():
            gap = next((g for g in relevant if g.matches(path)), None)
            if gap is not None and has_value:
                unreadable.setdefault(path, f"unsupported: {gap.reason}")
        out.append(state.model_copy(update={"unreadable": unreadable}) if unreadable else state)
    return out


def honour(
    gaps: Sequence[Gap], desired: Sequence[ResourceState], observed: Sequence[ResourceState]
) -> tuple[list[ResourceState], dict[str, str]]:
    """(observed states with their gap attributes unreadable, spec path -> message of each resource of a
    type the endpoint cannot hold at all: not_checked, its observed state dropped)."""
    whole = whole_resource_gaps(gaps)
    unheld = {
        want.path: f"not held by the endpoint: {whole[want.resource_type]}"
        for want in desired
        if want.resource_type in whole
    }
    kept = [s for s in observed if s.path not in unheld]
    return apply(kept, {s.path: s for s in desired}, gaps), unheld
