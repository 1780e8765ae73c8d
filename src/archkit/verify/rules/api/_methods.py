"""Shared by the API rules: the spec's intent for one observed method."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archkit.spec.api import MethodSpec
    from archkit.spec.system import ArchSpec


def split_key(key: str) -> tuple[str, str]:
    """`GET /api/users` -> (`GET`, `/api/users`)."""
    verb, _, path = key.partition(" ")
    return verb, path


def spec_method(spec: ArchSpec, key: str) -> MethodSpec | None:
    verb, path = split_key(key)
    return spec.api.routes.get(path, {}).get(verb)  # type: ignore[call-overload]


def declared_public(spec: ArchSpec, key: str) -> bool:
    """True when the spec says explicitly that the method is public (`authorizer: none`).

    A method left without an authorizer because `api.default_authorizer` is unset is not declared public:
    forgetting the default must not open every route.
    """
    method = spec_method(spec, key)
    return method is not None and method.authorizer == "none"
