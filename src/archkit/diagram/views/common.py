"""Label helpers shared by the view builders (wording used in every rendering)."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.diagram.model import ViewBuilder
    from archkit.spec.data import KeySpec
    from archkit.spec.system import ArchSpec

STORAGE_CLASS_LABELS = {
    "STANDARD_IA": "Standard-IA",
    "ONEZONE_IA": "One Zone-IA",
    "INTELLIGENT_TIERING": "Intelligent-Tiering",
    "GLACIER_IR": "Glacier Instant Retrieval",
    "GLACIER": "Glacier Flexible Retrieval",
    "DEEP_ARCHIVE": "Glacier Deep Archive",
}
"""S3 storage classes by the names AWS gives them (a STANDARD_IA transition is not a Glacier archive)."""


def storage_class(name: str) -> str:
    return STORAGE_CLASS_LABELS.get(name, name)


def access_label(accesses: set[str] | list[str] | str) -> str:
    """``reads``, ``writes`` or ``reads/writes`` for one access level or the union of several."""
    levels = {accesses} if isinstance(accesses, str) else set(accesses)
    reads = bool(levels & {"read", "read_write"})
    writes = bool(levels & {"write", "read_write"})
    return "reads/writes" if reads and writes else ("writes" if writes else "reads")


def key_label(key: KeySpec) -> str:
    return f"{key.name} ({key.type})"


def on_off(flag: bool) -> str:
    return "on" if flag else "off"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def vpc_functions(spec: ArchSpec) -> list[str]:
    return [k for k, f in spec.functions.items() if f.vpc]


def store_access(spec: ArchSpec, store: str) -> dict[str, set[str]]:
    """Function key -> access levels it has on a data store (``tables.main``), from grants."""
    out: dict[str, set[str]] = {}
    for key, fn in spec.functions.items():
        grant = fn.grants.get(store)
        if grant is not None:
            out.setdefault(key, set()).add(grant.access)
    return out


def wrap(text: str, width: int = 34) -> list[str]:
    """Split a long description into lines of at most ``width`` characters (words kept whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def grid(b: ViewBuilder, ids: list[str], per_row: int) -> None:
    """Lay nodes out as a grid of ``per_row`` columns (a top-down view stays as wide as the docs column)."""
    rows = [ids[i : i + per_row] for i in range(0, len(ids), per_row)]
    for row in rows:
        b.row(*row)
    for upper, lower in pairwise(rows):
        for a, z in zip(upper, lower, strict=False):
            b.order(a, z)
