"""Where each effective value of a function comes from: its own text, `defaults.functions`, an
environment's override, or archkit's default (``archkit validate --explain``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from archkit.spec.compute import FunctionSpec
from archkit.spec.errors import Loc, dotted
from archkit.spec.source import Source
from archkit.spec.system import ArchSpec

Origin = Literal["function", "defaults", "environment", "archkit"]
ORIGIN_WORDS: dict[Origin, str] = {
    "function": "function",
    "defaults": "defaults",
    "environment": "environment override",
    "archkit": "archkit default",
}
"""How each origin reads in the text output."""
MAPS = frozenset({"environment"})
"""Fields shown entry by entry: they merge key by key, so each entry has its own origin."""


@dataclass(frozen=True)
class Provenance:
    """One effective value of a function and where it was written."""

    function: str
    field: str
    """Field inside the function (`memory`), a map entry as `environment.TABLE_NAME`."""
    value: Any
    origin: Origin
    path: str
    """Spec path of the text that set it (empty for archkit's default)."""
    file: str | None
    line: int | None
    column: int | None

    def where(self) -> str:
        if self.line is None:
            return ""
        return f"{self.file or '<spec>'}:{self.line}:{self.column or 1}"


def _written(table: Mapping[Loc, Loc], loc: Loc) -> Loc | None:
    """Where ``table`` says ``loc`` (or an ancestor of it) was written, as the path of that text."""
    for cut in range(len(loc), 0, -1):
        origin = table.get(loc[:cut])
        if origin is not None:
            return (*origin, *loc[cut:])
    return None


def _provenance(name: str, field: str, value: Any, loc: Loc, source: Source) -> Provenance:
    origin: Origin
    inherited = _written(source.inherited, loc)
    if inherited is not None:
        override = _written(source.origins, inherited)
        origin, written = ("environment", override) if override else ("defaults", inherited)
    elif (override := _written(source.origins, loc)) is not None:
        origin, written = "environment", override
    elif loc in source.keys:
        origin, written = "function", loc
    else:
        return Provenance(name, field, value, "archkit", "", None, None, None)
    line, column = source.keys.get(loc) or source.values.get(loc) or (None, None)
    return Provenance(name, field, value, origin, dotted(written), source.file, line, column)


def explain_functions(spec: ArchSpec, source: Source) -> list[Provenance]:
    """Every field of every function, its effective value and its origin (maps entry by entry)."""
    rows: list[Provenance] = []
    for name, fn in spec.functions.items():
        values = fn.model_dump(mode="json")
        for field in FunctionSpec.model_fields:
            loc: Loc = ("functions", name, field)
            if field in MAPS and values[field]:
                rows += [
                    _provenance(name, f"{field}.{key}", entry, (*loc, key), source)
                    for key, entry in values[field].items()
                ]
            else:
                rows.append(_provenance(name, field, values[field], loc, source))
    return rows
