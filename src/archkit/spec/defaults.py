"""Defaults: settings written once under ``defaults.functions`` and merged under every function.

A function's own value wins; maps (``environment``) merge key by key, the function's keys winning; lists
(``layers``, ``security_groups``) are replaced as a whole. Defaults are merged after the environment's
overrides, so an override of ``defaults`` changes every function that does not set the value itself, and
an override of a function (or of ``functions.*``) beats the default. What a function may do (``grants``,
``secrets``, ``database``) and what it is (``handler``, ``description``, ``tiers``, ``reserved_concurrency``)
are its own: they have no default, so no function gains a permission by inheritance.

Positions move with the values (as for environment overrides), and a problem in a default is reported once,
at the default, not once per function that inherited it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, create_model, model_validator

from archkit.spec.base import SpecModel
from archkit.spec.compute import FunctionSpec
from archkit.spec.environments import relocate
from archkit.spec.errors import Loc
from archkit.spec.source import Source

PER_FUNCTION = frozenset(
    {"handler", "description", "tiers", "grants", "secrets", "database", "reserved_concurrency"}
)
"""FunctionSpec fields a default cannot set: identity, permissions and a function's own concurrency share."""

DEFAULTS_LOC: Loc = ("defaults", "functions")
"""Where the function defaults sit in a document."""


def _optional_fields() -> dict[str, Any]:
    """Every defaultable FunctionSpec field, same type and constraints, unset (None) by default."""
    fields: dict[str, Any] = {}
    for name, info in FunctionSpec.model_fields.items():
        if name in PER_FUNCTION:
            continue
        annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        fields[name] = (annotation | None, Field(default=None, description=info.description))
    return fields


def _reject_per_function(cls: Any, data: Any) -> Any:
    own = sorted(PER_FUNCTION & set(data)) if isinstance(data, dict) else []
    if own:
        raise ValueError(
            f"{', '.join(own)} cannot have a default: each function declares its own (no function gains a "
            "permission or an identity by inheritance)"
        )
    return data


if TYPE_CHECKING:

    class FunctionDefaults(SpecModel):
        """Function settings every function takes unless it sets its own."""

else:
    FunctionDefaults = create_model(
        "FunctionDefaults",
        __base__=SpecModel,
        __doc__=(
            "Function settings every function takes unless it sets its own (maps such as `environment` "
            "merge key by key). Grants, secrets, database access, handler, tiers and reserved concurrency "
            "are never defaulted."
        ),
        __validators__={"_own_fields": model_validator(mode="before")(_reject_per_function)},
        **_optional_fields(),
    )


class DefaultsSpec(SpecModel):
    """Values written once and merged under every element of a kind."""

    functions: FunctionDefaults = Field(
        default_factory=FunctionDefaults,
        description="Merged under every function: the function's own values win, maps merge key by key.",
    )


def apply_defaults(doc: dict[str, Any], source: Source | None = None) -> dict[str, Any]:
    """``doc`` with ``defaults.functions`` merged under each function (the document itself is not changed).

    ``source`` (if given) learns where each inherited value was written (``Source.inherited``).
    """
    defaults = doc.get("defaults")
    values = defaults.get("functions") if isinstance(defaults, dict) else None
    functions = doc.get("functions")
    if not isinstance(values, dict) or not values or not isinstance(functions, dict):
        return doc  # nothing to merge, or the model reports the wrong type
    merged = dict(functions)
    for name, fn in functions.items():
        if isinstance(fn, dict):
            merged[name] = _under(fn, values, ("functions", name), DEFAULTS_LOC, source)
    return {**doc, "functions": merged}


def _under(own: dict[str, Any], default: dict[str, Any], loc: Loc, src: Loc, source: Source | None) -> Any:
    out = dict(own)
    for key, value in default.items():
        if value is None or (key in PER_FUNCTION and len(loc) == 2):
            continue  # null means no default; per-function keys are never inherited (the model says so)
        child, src_child = (*loc, key), (*src, key)
        if key not in out:
            out[key] = _inherit(value, child, src_child, source)
        elif isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _under(out[key], value, child, src_child, source)
    return out


def _inherit(value: Any, loc: Loc, src: Loc, source: Source | None) -> Any:
    if source is not None:
        relocate(value, loc, src, source)
        source.inherited[loc] = src
    return copy.deepcopy(value)
