"""Counts in messages: "1 table", "2 tables" (one place, so no command prints "1 tables")."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it needs; ``plural`` defaults to ``singular + "s"``."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
