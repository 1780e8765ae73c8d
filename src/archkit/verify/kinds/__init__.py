"""The kind table: one module per resource kind, each exporting ``KIND`` (`archkit.verify.kinds.base.Kind`).

The registry below is built by discovering those modules; it is the only table keyed by CloudFormation
type in verify (desired states, collectors, state models, severities and the IAM policy all come from it).
Adding a kind is adding a module; see docs/design.md ("The kind table").
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from functools import cache

from archkit.verify.kinds.base import Kind, attribute_severity
from archkit.verify.state import ResourceState

_NOT_KINDS = frozenset({"base", "reading"})


@cache
def all_kinds() -> tuple[Kind, ...]:
    """Every kind, by module name; two modules claiming one CloudFormation type fail loudly."""
    kinds: list[Kind] = []
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_KINDS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind: Kind = module.KIND
        for cfn_type in kind.states:
            if cfn_type in owner:
                raise RuntimeError(f"{cfn_type} is claimed by both {owner[cfn_type]} and {info.name}")
            owner[cfn_type] = info.name
        kinds.append(replace(kind, name=info.name))
    return tuple(kinds)


@cache
def _by_type() -> dict[str, Kind]:
    return {cfn_type: kind for kind in all_kinds() for cfn_type in kind.states}


def kind_of(cfn_type: str) -> Kind | None:
    """The kind reading a CloudFormation type; None for types verify has no reader for."""
    return _by_type().get(cfn_type)


def state_by_cfn_type() -> dict[str, type[ResourceState]]:
    """CloudFormation type -> state model."""
    return {cfn_type: kind.states[cfn_type] for cfn_type, kind in _by_type().items()}


def state_types() -> tuple[type[ResourceState], ...]:
    """Every state model, once each."""
    return tuple(dict.fromkeys(cls for kind in all_kinds() for cls in kind.states.values()))


def read_operations() -> dict[str, tuple[str, ...]]:
    """botocore service -> every operation some kind reads (sorted, once each)."""
    ops: dict[str, set[str]] = {}
    for kind in all_kinds():
        for service, names in kind.reads.items():
            ops.setdefault(service, set()).update(names)
    return {service: tuple(sorted(ops[service])) for service in sorted(ops)}


def severity_of(resource_type: str, attribute: str) -> str:
    """Severity of drift on one attribute of a resource type (see `Kind.security`)."""
    kind = kind_of(resource_type)
    return attribute_severity(kind.security if kind is not None else frozenset(), attribute)
