"""Load a spec from YAML or JSON (or a dict), resolve its environment, and report errors by file and line."""

from __future__ import annotations

import copy
import difflib
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from archkit.spec.system import ArchSpec, ReferenceErrors

DEFAULT_SPEC = Path("specs/reference.yaml")
SPEC_ENV_VAR = "ARCHKIT_SPEC"

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class SpecIssue:
    """One problem in a spec, located as precisely as the source allows."""

    path: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.path or '<root>'}: {self.message}"


class SpecError(Exception):
    """A spec that cannot be used; carries every issue found, each with file, line and spec path."""

    def __init__(self, issues: list[SpecIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class _Source:
    """Where each spec path sits in the file (1-based line and column of its key and of its value)."""

    file: str | None = None
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Loc, *, prefer_key: bool) -> tuple[int, int] | None:
        # Walk up to the nearest located ancestor (pydantic adds parts such as '[key]').
        parts = tuple(loc)
        while parts:
            table = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for t in table:
                if parts in t:
                    return t[parts]
            parts = parts[:-1]
        return None


def default_spec_path() -> Path:
    """``$ARCHKIT_SPEC`` or ``specs/reference.yaml``."""
    return Path(os.environ.get(SPEC_ENV_VAR) or DEFAULT_SPEC)


# --- parsing with positions ---------------------------------------------------------------------


def _parse(text: str, file: str | None) -> tuple[Any, _Source]:
    source = _Source(file=file)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError([SpecIssue("", "the file is empty; expected a mapping with at least `project`", file, 1, 1)])
        data = _construct(loader, node, (), source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecError([SpecIssue("", f"malformed YAML/JSON: {problem}", file, line, col)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([SpecIssue("", f"malformed YAML/JSON: {exc}", file)]) from None
    finally:
        loader.dispose()
    return data, source


def _construct(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, source: _Source) -> Any:
    source.values.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise SpecError([SpecIssue(_dotted(loc), "mapping keys must be plain scalars", source.file,
                                           key_node.start_mark.line + 1, key_node.start_mark.column + 1)])
            key = str(key) if not isinstance(key, str) else key
            child = (*loc, key)
            if key in out:
                first = source.keys[child]
                raise SpecError([SpecIssue(_dotted(child), f"duplicate key '{key}' (first defined on line {first[0]})",
                                           source.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)])
            source.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _construct(loader, value_node, child, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*loc, i), source) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


# --- environments -------------------------------------------------------------------------------


def _merge(base: Any, override: Any, loc: Loc, src_loc: Loc, source: _Source | None) -> Any:
    """Deep-merge ``override`` into ``base``; a ``*`` key applies to every existing entry of a map."""
    if source is not None:
        for table in (source.values, source.keys):
            if src_loc in table:
                table[loc] = table[src_loc]
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = dict(base)
    for key, value in override.items():
        targets = list(merged) if key == "*" else [key]
        for target in targets:
            merged[target] = _merge(merged.get(target), value, (*loc, target), (*src_loc, key), source)
    return merged


def resolve_environment(doc: dict[str, Any], env: str | None, source: _Source | None = None) -> dict[str, Any]:
    """Apply the overrides of environment ``env`` (default: the document's ``environment``)."""
    overrides = doc.get("environments") or {}
    name = env or doc.get("environment") or "prod"
    if not isinstance(overrides, dict):
        return doc  # the model reports the wrong type
    if overrides and name not in overrides:
        choices = ", ".join(sorted(overrides))
        raise SpecError([SpecIssue("environment", f"unknown environment '{name}' (declared: {choices})",
                                   source.file if source else None)])
    resolved = dict(doc)
    override = overrides.get(name) or {}
    if isinstance(override, dict):
        for key in ("environments", "environment"):
            if key in override:
                raise SpecError([SpecIssue(f"environments.{name}.{key}", "an environment cannot override this key",
                                           source.file if source else None)])
        resolved = _merge(resolved, override, (), ("environments", name), source)
    resolved["environment"] = name
    return resolved


# --- validation and error mapping ---------------------------------------------------------------


def _dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class whose field set applies at ``loc`` (for 'did you mean' on unknown keys)."""
    current: Any = ArchSpec
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            current = info.annotation
            continue
        origin = typing.get_origin(current)
        if origin in (dict, list):
            current = typing.get_args(current)[-1]
            continue
        return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _describe(err: Any) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        msg = f"unknown key '{loc[-1]}'"
        if model is not None:
            close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
            msg += f"; did you mean '{close[0]}'?" if close else f" (valid keys: {', '.join(model.model_fields)})"
        return msg
    if kind == "missing":
        return "required key is missing"
    msg = str(err["msg"])
    if "input" in err and kind not in ("model_type", "dict_type"):
        shown = repr(err["input"])
        msg += f" (got {shown if len(shown) < 60 else shown[:57] + '...'})"
    return msg


def _issues_from_validation(exc: ValidationError, source: _Source) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    for err in exc.errors(include_url=False):
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, ReferenceErrors):
            for loc, message in ctx_error.issues:
                pos = source.locate(tuple(loc), prefer_key=False)
                issues.append(SpecIssue(_dotted(loc), message, source.file, *(pos or (None, None))))
            continue
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or p == "[key]")))
        prefer_key = err["type"] in ("extra_forbidden", "missing")
        pos = source.locate(loc, prefer_key=prefer_key)
        if err["type"] == "missing":
            pos = source.locate(loc[:-1], prefer_key=True) or pos
        issues.append(SpecIssue(_dotted(loc), _describe(err), source.file, *(pos or (None, None))))
    issues.sort(key=lambda i: (i.line or 0, i.column or 0, i.path))
    return issues


def _validate(doc: Any, env: str | None, source: _Source) -> ArchSpec:
    if not isinstance(doc, dict):
        raise SpecError([SpecIssue("", f"expected a mapping at the top level, got {type(doc).__name__}",
                                   source.file, 1, 1)])
    resolved = resolve_environment(doc, env, source)
    try:
        return ArchSpec.model_validate(resolved)
    except ValidationError as exc:
        raise SpecError(_issues_from_validation(exc, source)) from None


def spec_from_dict(doc: dict[str, Any], env: str | None = None) -> ArchSpec:
    """Build and validate a spec from a plain dict (as parsed from YAML), resolving ``env``."""
    return _validate(copy.deepcopy(doc), env, _Source())


def parse_spec_text(text: str, file: str | None = None, env: str | None = None) -> ArchSpec:
    """Parse YAML or JSON text into a validated spec."""
    doc, source = _parse(text, file)
    return _validate(doc, env, source)


def load_spec(path: str | os.PathLike[str] | None = None, env: str | None = None) -> ArchSpec:
    """Load, resolve and validate the spec at ``path`` (default: ``$ARCHKIT_SPEC`` or ``specs/reference.yaml``).

    Raises :class:`SpecError` listing every problem with file, line, column and spec path.
    """
    spec_path = Path(path) if path is not None else default_spec_path()
    try:
        text = spec_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([SpecIssue("", "spec file not found (pass --spec or set $ARCHKIT_SPEC)", str(spec_path))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([SpecIssue("", f"cannot read the spec: {exc}", str(spec_path))]) from None
    return parse_spec_text(text, str(spec_path), env)


def spec_locations(path: str | os.PathLike[str]) -> dict[str, int]:
    """Line of each spec path in a file (for reports that point into the spec, e.g. SARIF)."""
    _, source = _parse(Path(path).read_text(encoding="utf-8"), str(path))
    lines = {_dotted(loc): pos[0] for loc, pos in source.values.items()}
    lines.update({_dotted(loc): pos[0] for loc, pos in source.keys.items()})
    return lines


def dump_spec(spec: ArchSpec) -> str:
    """The spec as YAML (every default explicit); loading it back gives an equal spec."""
    data = spec.model_dump(mode="json")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
