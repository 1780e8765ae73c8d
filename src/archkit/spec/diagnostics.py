"""Turn pydantic validation errors into located, human :class:`SpecIssue` s.

Each issue names the spec path, says what was expected (and what was found), and for a misspelt key
or value suggests the closest valid one.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from archkit.spec.base import ENVIRONMENT_PATTERN, NAME_PATTERN, PROJECT_PATTERN
from archkit.spec.errors import Loc, SpecIssue
from archkit.spec.source import Source

SlotKind = Literal["required", "optional", "extra", "entry", "item", "opaque"]
"""What one step of a spec path is: a model field (required or with a default), an unknown key, an entry
of a map, an item of a list, or something inside free-form data."""

_PATTERN_MEANING = {
    NAME_PATTERN: "a name in lower snake case (a-z, 0-9 and _, starting with a letter, at most 40 chars)",
    ENVIRONMENT_PATTERN: "an environment name (a-z and 0-9, starting with a letter, at most 10 characters)",
    PROJECT_PATTERN: "a project name (a-z, 0-9 and -, starting with a letter, at most 20 characters)",
}


def reference_issues_of(err: Any) -> list[tuple[Loc, str]] | None:
    """The cross-reference issues a pydantic error carries, or None for an ordinary field error."""
    from archkit.spec.system import ReferenceErrors

    ctx_error = (err.get("ctx") or {}).get("error")
    return ctx_error.issues if isinstance(ctx_error, ReferenceErrors) else None


def clean_loc(err: Any) -> Loc:
    """The spec path of a pydantic error, without pydantic's own markers (``[key]``, validator names)."""
    return tuple(
        p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or p == "[key]"))
    )


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def walk(loc: Loc, root: type[BaseModel] | None = None) -> Iterator[tuple[SlotKind, Any]]:
    """For each step of ``loc``: its kind and the annotation of the value found there."""
    if root is None:
        from archkit.spec.system import ArchSpec

        root = ArchSpec
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        kind: SlotKind
        if _is_model(current):
            info = current.model_fields.get(str(part))
            if info is None:
                kind, current = "extra", Any
            else:
                kind, current = ("required" if info.is_required() else "optional"), info.annotation
        elif typing.get_origin(current) is dict:
            kind, current = "entry", typing.get_args(current)[1]
        elif typing.get_origin(current) is list:
            kind, current = "item", typing.get_args(current)[0]
        else:
            kind, current = "opaque", Any
        yield kind, current


def model_at(loc: Loc) -> type[BaseModel] | None:
    """The model whose fields apply at ``loc`` (for 'did you mean' on unknown keys)."""
    from archkit.spec.system import ArchSpec

    current: Any = ArchSpec
    for _kind, annotation in walk(loc):
        current = annotation
    current = _unwrap(current)
    return current if _is_model(current) else None


def _got(err: Any, raw: str | None) -> str:
    value = err.get("input")
    if raw is not None:
        return f" (got {raw}, which YAML reads as {type(value).__name__}; quote it: '{raw}')"
    shown = repr(value)
    return f" (got {shown if len(shown) < 60 else shown[:57] + '...'})"


def _closest(word: str, choices: list[str]) -> str | None:
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def describe(err: Any, loc: Loc, raw: str | None = None) -> str:
    """One line saying what is wrong at ``loc`` and what was expected."""
    kind = err["type"]
    if kind == "extra_forbidden":
        model = model_at(loc[:-1])
        msg = f"unknown key '{loc[-1]}'"
        if model is not None:
            fields = list(model.model_fields)
            close = _closest(str(loc[-1]), fields)
            msg += f"; did you mean '{close}'?" if close else f" (valid keys: {', '.join(fields)})"
        return msg
    if kind == "missing":
        model = model_at(loc[:-1])
        info = model.model_fields.get(str(loc[-1])) if model is not None else None
        what = f": {info.description}" if info is not None and info.description else ""
        return f"required key '{loc[-1]}' is missing{what}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = model_at(loc)
        shorthand = getattr(model, "__shorthand__", None)
        alternative = f" or {shorthand}" if shorthand else ""
        return f"expected a mapping{alternative}{_got(err, None)}"
    if kind == "list_type":
        return f"expected a list{_got(err, None)}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", (err.get("ctx") or {}).get("expected", ""))
        close = _closest(str(err.get("input")), choices) if isinstance(err.get("input"), str) else None
        hint = f"; did you mean '{close}'?" if close else ""
        return f"expected one of {', '.join(choices)}{_got(err, raw)}{hint}"
    if kind == "string_pattern_mismatch":
        pattern = (err.get("ctx") or {}).get("pattern", "")
        meaning = _PATTERN_MEANING.get(pattern, f"text matching {pattern}")
        return f"expected {meaning}{_got(err, None)}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    msg = str(err["msg"])
    if msg.startswith(("Input should be greater", "Input should be less")):
        msg = "expected a value " + msg.removeprefix("Input should be ")
    elif msg.startswith("Input should be "):
        msg = "expected " + msg.removeprefix("Input should be ")
    return msg + _got(err, raw if kind == "string_type" else None)


def issues_from_validation(exc: ValidationError, source: Source) -> tuple[list[SpecIssue], bool]:
    """Located issues of a failed validation, and whether cross-reference checks ran (the model was valid)."""
    issues: list[SpecIssue] = []
    references_ran = False
    for err in exc.errors(include_url=False):
        refs = reference_issues_of(err)
        if refs is not None:
            references_ran = True
            issues.extend(one_per_root_cause(refs, source))
            continue
        loc = clean_loc(err)
        if "[key]" in err["loc"]:  # a map key itself is wrong: point at the key
            issues.append(source.issue(loc, describe(err, loc), prefer_key=True))
            continue
        prefer_key = err["type"] in ("extra_forbidden", "missing")
        if err["type"] == "missing":
            # the key is absent: point at the mapping that lacks it
            parent = source.issue(loc[:-1], describe(err, loc), prefer_key=True)
            issues.append(
                SpecIssue(".".join(map(str, loc)), parent.message, parent.file, parent.line, parent.column)
            )
            continue
        issues.append(source.issue(loc, describe(err, loc, source.raw.get(loc)), prefer_key=prefer_key))
    return issues, references_ran


def one_per_root_cause(refs: list[tuple[Loc, str]], source: Source) -> list[SpecIssue]:
    """Located reference issues, one per unknown name: a misspelt definition (or a name misspelt the same
    way in several places) is one mistake, reported at its first use with the other places listed. Uses of
    one YAML anchor keep an issue each (they point at the same text, each naming its alias)."""
    first: dict[str, tuple[int, SpecIssue]] = {}
    others: dict[int, list[Loc]] = {}
    issues: list[SpecIssue] = []
    for loc, message in refs:
        issue = source.issue(tuple(loc), message)
        kept = first.get(message) if message.startswith("unknown ") else None
        if kept is not None and (kept[1].line, kept[1].column) != (issue.line, issue.column):
            others[kept[0]].append(tuple(loc))
            continue
        if kept is None:
            first[message] = (len(issues), issue)
            others[len(issues)] = []
        issues.append(issue)
    return [_also(issue, others.get(i, [])) for i, issue in enumerate(issues)]


def _also(issue: SpecIssue, locs: list[Loc]) -> SpecIssue:
    if not locs:
        return issue
    shown = ", ".join(".".join(map(str, loc)) for loc in locs[:5])
    more = f" and {len(locs) - 5} more" if len(locs) > 5 else ""
    message = f"{issue.message} (also used by {shown}{more})"
    return SpecIssue(issue.path, message, issue.file, issue.line, issue.column)
