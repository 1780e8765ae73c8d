"""The spec reference page, generated from the pydantic models: every model, field, type and default.

It walks `ArchSpec.model_fields` recursively, so a field added to any spec model appears here on the next run.
"""

from __future__ import annotations

import inspect
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from archkit.docs.markdown import code, generated_page, join_blocks, slug, table, text

COMMAND = "archkit docs"
SOURCE = "archkit.spec"


def _unwrap_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip `Annotated[...]` layers, collecting their metadata (constraints, validators, examples)."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        annotation, metadata = args[0], [*metadata, *args[1:]]
    return annotation, metadata


def _optional_inner(annotation: Any) -> tuple[Any, bool]:
    """`X | None` -> (X, True); anything else -> (annotation, False)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)) and len(args) == 1:
            return args[0], True
    return annotation, False


def _validator_label(metadata: list[Any]) -> str | None:
    """A short word for a custom validator, e.g. `_check_cidr` -> `CIDR`."""
    for item in metadata:
        func = getattr(item, "func", None)
        if func is not None and getattr(func, "__name__", "").startswith("_check_"):
            word = func.__name__.removeprefix("_check_").replace("_", " ")
            return word.upper() if len(word) <= 4 else word
    return None


def type_name(annotation: Any) -> str:
    """A reader's rendering of a type: model names link to their section, closed sets list their values."""
    annotation, metadata = _unwrap_annotated(annotation)
    inner, optional = _optional_inner(annotation)
    if optional:
        return f"{type_name(inner)} or `null`"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(code(json.dumps(a)) if not isinstance(a, str) else code(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args)
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"map of {type_name(args[0])} to {type_name(args[1])}"
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{slug(annotation.__name__)})"
    if annotation is typing.Any:
        return "any"
    base = getattr(annotation, "__name__", str(annotation))
    label = _validator_label(metadata)
    return f"{base} ({label})" if label else base


def _constraints(field: FieldInfo) -> list[str]:
    """Bounds, lengths and patterns declared on the field or on its (Annotated) type."""
    _, type_metadata = _unwrap_annotated(field.annotation)
    items = list(field.metadata)
    for meta in type_metadata:
        items.extend(getattr(meta, "metadata", None) or [meta])
    out: list[str] = []
    labels = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "min_length": "length ≥", "max_length": "length ≤"}
    for meta in items:
        for attr, label in labels.items():
            value = getattr(meta, attr, None)
            if value is not None and type(meta).__name__ != "FieldInfo":
                out.append(f"{label} {value:g}" if isinstance(value, float) else f"{label} {value}")
        pattern = getattr(meta, "pattern", None)
        if isinstance(pattern, str):
            out.append(f"pattern {code(pattern)}")
    return list(dict.fromkeys(out))


def _default_value(field: FieldInfo) -> Any:
    if field.default_factory is not None:
        factory: Any = field.default_factory
        return factory({}) if field.default_factory_takes_validated_data else factory()
    return field.default


def _is_all_defaults(value: BaseModel) -> bool:
    try:
        return value == type(value)()
    except ValueError:  # the model has required fields
        return False


def default_text(field: FieldInfo) -> str:
    """`required`, the default as YAML/JSON writes it, or a link for a nested model left at its defaults."""
    if field.is_required():
        return "**required**"
    value = _default_value(field)
    if value is PydanticUndefined:
        return "**required**"
    if isinstance(value, BaseModel):
        if _is_all_defaults(value):
            return f"defaults of [{type(value).__name__}](#{slug(type(value).__name__)})"
        value = value.model_dump(mode="json")
    elif isinstance(value, list | tuple):
        value = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    return code(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    annotation, _ = _unwrap_annotated(annotation)
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def models_of(root: type[BaseModel]) -> list[type[BaseModel]]:
    """The root model and every model reachable from its fields, depth-first in field order."""
    return list(_paths(root))


def _field_rows(model: type[BaseModel]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        description = text(field.description or "")
        extras = _constraints(field)
        if field.examples:
            extras.append(
                "e.g. " + ", ".join(code(json.dumps(e, ensure_ascii=False)) for e in field.examples)
            )
        if extras:
            description = (description + " " if description else "") + "<br>*" + "; ".join(extras) + "*"
        rows.append((code(key), type_name(field.annotation), default_text(field), description or "—"))
    return rows


def _model_section(model: type[BaseModel], paths: dict[type[BaseModel], str]) -> str:
    doc = inspect.cleandoc(model.__doc__ or "").strip()
    where = f"At {code(paths[model])} in a spec." if paths.get(model, "<root>") != "<root>" else ""
    return join_blocks(
        f"## {model.__name__}",
        text(doc) if doc else "",
        where,
        table(["Field", "Type", "Default", "Description"], _field_rows(model)),
    )


def _paths(root: type[BaseModel]) -> dict[type[BaseModel], str]:
    """Every model reachable from the root, depth-first in field order, with the first spec path it has."""
    found: dict[type[BaseModel], str] = {}

    def visit(model: type[BaseModel], path: str) -> None:
        found[model] = path
        prefix = "" if model is root else path + "."
        for name, field in model.model_fields.items():
            sub = f"{prefix}{field.alias or name}"
            annotation, _ = _optional_inner(_unwrap_annotated(field.annotation)[0])
            while typing.get_origin(annotation) in (list, dict):
                sub += "[]" if typing.get_origin(annotation) is list else ".<key>"
                annotation, _ = _optional_inner(_unwrap_annotated(typing.get_args(annotation)[-1])[0])
            for nested in _models_in(annotation):
                if nested not in found:
                    visit(nested, sub)

    visit(root, "<root>")
    return found


def spec_reference_markdown(root: type[BaseModel] | None = None) -> str:
    """The whole spec reference page."""
    if root is None:
        from archkit.spec import ArchSpec

        root = ArchSpec
    models = models_of(root)
    paths = _paths(root)
    index = "\n".join(f"- [{m.__name__}](#{slug(m.__name__)}) — {code(paths[m])}" for m in models) + "\n"
    intro = (
        "Every key a spec file may hold. Unknown keys are errors; a field left out takes the default shown. "
        "Keys of maps (functions, tables, buckets...) are lower snake case and become part of spec paths "
        "such as `tables.main`. The same models give the JSON Schema printed by `archkit schema`."
    )
    return generated_page(
        "Spec reference",
        SOURCE,
        COMMAND,
        intro,
        "## Models\n\n" + index,
        *(_model_section(m, paths) for m in models),
    )
