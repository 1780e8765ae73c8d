"""The error types of the spec: one located issue, and the exception carrying all of them."""

from __future__ import annotations

from dataclasses import dataclass

Loc = tuple[str | int, ...]
"""A spec path as a tuple, e.g. ``("functions", "get_user", "memory")``."""


def dotted(loc: Loc) -> str:
    """``functions.get_user.memory``: the spec path as users write it."""
    return ".".join(str(p) for p in loc)


@dataclass(frozen=True)
class SpecIssue:
    """One problem in a spec, located as precisely as the source allows."""

    path: str
    """Spec path such as ``functions.get_user.memory`` (empty for the whole document)."""
    message: str
    """What is wrong and what was expected; for a misspelt key, the closest valid one."""
    file: str | None = None
    line: int | None = None
    """1-based line of the offending key or value."""
    column: int | None = None
    """1-based column of the offending key or value."""

    def __str__(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.path or '<root>'}: {self.message}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.path, self.message)


class SpecError(Exception):
    """A spec that cannot be used; carries every issue found, each with file, line and spec path."""

    def __init__(self, issues: list[SpecIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


class SpecDeprecationWarning(FutureWarning):
    """A spec form that still loads but has a newer one (the message names it); shown to users by default."""
