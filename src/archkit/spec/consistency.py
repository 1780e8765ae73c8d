"""Checks that the pieces of a spec agree with each other where synthesis or the deployed system would
otherwise fail later: mock methods, CORS methods against the routes, index attributes against the items.

Each problem is reported once, where it is written, with the closest declared name when there is one.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING

from archkit.spec.api import HttpMethod

if TYPE_CHECKING:
    from archkit.spec.api import ApiSpec
    from archkit.spec.data import TableSpec
    from archkit.spec.system import ArchSpec

Loc = tuple[str | int, ...]
Issues = list[tuple[Loc, str]]

METHOD_ORDER: tuple[str, ...] = typing.get_args(HttpMethod)
"""HTTP methods in the order archkit lists them (derived CORS methods use it)."""


def cors_methods(api: ApiSpec) -> list[str]:
    """The methods CORS allows when the spec does not say: every method a route uses, plus OPTIONS."""
    used = {verb for _, verb, _ in api.methods()} | {"OPTIONS"}
    return [verb for verb in METHOD_ORDER if verb in used]


def check_consistency(spec: ArchSpec) -> Issues:
    issues: Issues = []
    _check_methods(spec, issues)
    _check_cors(spec, issues)
    for name, table in spec.tables.items():
        _check_index_attributes(("tables", name), table, issues)
    return issues


def _check_methods(spec: ArchSpec, issues: Issues) -> None:
    cors = spec.api.cors.enabled
    for path, verb, method in spec.api.methods():
        loc: Loc = ("api", "routes", path, verb)
        if verb == "OPTIONS" and cors:
            issues.append(
                (
                    loc,
                    "api.cors answers OPTIONS on every route itself; remove this method or disable api.cors",
                )
            )
        if method.integration == "mock":
            if method.function is not None:
                issues.append(
                    (
                        (*loc, "function"),
                        "a mock method is answered by API Gateway, not by a function; remove `function` "
                        "or choose another integration",
                    )
                )
            if method.request_model is not None or method.response_models:
                issues.append((loc, "a mock method validates and describes nothing: remove its models"))
        else:
            if method.mock is not None:
                issues.append(
                    (
                        (*loc, "mock"),
                        f"`mock` is the answer of integration: mock, not of {method.integration}",
                    )
                )
            if method.function is None:
                issues.append(
                    (
                        (*loc, "function"),
                        "required key 'function' is missing: the function serving the method, or "
                        "`mock: {status, body}` for a fixed answer without one",
                    )
                )


def _check_cors(spec: ArchSpec, issues: Issues) -> None:
    api = spec.api
    if not api.cors.enabled:
        return
    allowed = set(api.cors.allow_methods)
    missing: dict[str, str] = {}
    for path, verb, _ in api.methods():
        if verb not in allowed and verb != "OPTIONS":
            missing.setdefault(verb, f"{verb} {path}")
    if missing:
        uses = ", ".join(missing[verb] for verb in METHOD_ORDER if verb in missing)
        issues.append(
            (
                ("api", "cors", "allow_methods"),
                f"browsers would be refused {', '.join(v for v in METHOD_ORDER if v in missing)}, which the "
                f"routes use ({uses}); add them, or leave allow_methods out to derive it from the routes",
            )
        )


def _suggest(name: str, declared: Iterable[str]) -> str:
    choices = sorted(declared)
    close = difflib.get_close_matches(name, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"declared: {', '.join(choices)}; add it to item_attributes"


def _check_index_attributes(loc: Loc, table: TableSpec, issues: Issues) -> None:
    """Once a table describes its items (`item_attributes`), an index can only use attributes it names."""
    if not table.item_attributes:
        return
    declared = {table.partition_key.name, *table.attributes, *table.item_attributes}
    if table.sort_key is not None:
        declared.add(table.sort_key.name)
    for iname, index in table.indexes.items():
        iloc: Loc = (*loc, "indexes", iname)
        for field in ("partition_key", "sort_key"):
            key = getattr(index, field)
            if key is not None and key.name not in declared:
                issues.append(
                    (
                        (*iloc, field),
                        f"index '{iname}' is keyed on '{key.name}', which is no attribute of the table; "
                        + _suggest(key.name, declared),
                    )
                )
        for i, attr in enumerate(index.non_key_attributes):
            if attr not in declared:
                issues.append(
                    (
                        (*iloc, "non_key_attributes", i),
                        f"index '{iname}' projects '{attr}', which is no attribute of the table; "
                        + _suggest(attr, declared),
                    )
                )
