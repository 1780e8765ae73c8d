"""Turn the AWS identifiers inside observed states into spec paths, across services.

Collectors record raw ids/ARNs where a state refers to a resource of another service (a function's
security groups, a table's KMS key, an integration's function ARN, an alias target's domain). Each observed
state lists the identifiers it is known by (`arn`, `ids`); this pass replaces every string equal to one of
them with that state's spec path. Environment variables are text, so ARNs and URLs inside them become
`${<spec path>.arn}` / `${<spec path>.url}` tokens, matching the desired side's placeholders.
"""

from __future__ import annotations

from typing import Any

from archkit.verify.kinds.lambda_function import FunctionState
from archkit.verify.kinds.rds_instance import DbInstanceState
from archkit.verify.state import ResourceState

_SKIP = frozenset({"tags", "description", "models", "request_templates", "response_templates", "environment"})


def identifier_map(states: list[ResourceState]) -> dict[str, str]:
    known: dict[str, str] = {}
    for s in states:
        for ident in (s.arn, *s.ids):
            if ident:
                known.setdefault(ident, s.path)
    return known


def _walk(value: Any, known: dict[str, str]) -> Any:
    if isinstance(value, str):
        return known.get(value, value)
    if isinstance(value, list):
        return [_walk(v, known) for v in value]
    if isinstance(value, dict):
        return {known.get(k, k): (v if k in _SKIP else _walk(v, known)) for k, v in value.items()}
    return value


def env_tokens(states: list[ResourceState]) -> list[tuple[str, str]]:
    """(identifier, `${<spec path>.<attribute>}` token) for the values an environment may carry: ARNs,
    URLs, and a database's endpoint address; longest identifiers first."""
    tokens: dict[str, str] = {}
    for s in states:
        for ident in (s.arn, *s.ids):
            if not ident or ident in tokens:
                continue
            if ident.startswith("arn:"):
                tokens[ident] = "${" + s.path + ".arn}"
            elif ident.startswith("https://"):
                tokens[ident] = "${" + s.path + ".url}"
            elif isinstance(s, DbInstanceState) and "." in ident:
                tokens[ident] = "${" + s.path + ".address}"
    return sorted(tokens.items(), key=lambda pair: -len(pair[0]))


def _environment(env: dict[str, str], tokens: list[tuple[str, str]]) -> dict[str, str]:
    out = {}
    for name, value in env.items():
        for ident, token in tokens:
            if ident in value:
                value = value.replace(ident, token)
        out[name] = value
    return out


def resolve_references(states: list[ResourceState]) -> list[ResourceState]:
    known = identifier_map(states)
    tokens = env_tokens(states)
    out: list[ResourceState] = []
    for s in states:
        data = s.model_dump(mode="python")
        fixed = {}
        for key, value in data.items():
            if key in ResourceState.IDENTITY_FIELDS or key in _SKIP:
                fixed[key] = value
            else:
                fixed[key] = _walk(value, known)
        if isinstance(s, FunctionState):
            fixed["environment"] = _environment(s.environment, tokens)
        out.append(type(s).model_validate(fixed))
    return out
