"""Fixtures of the rule tests: spec variants of the reference spec, their desired states and rule results."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from shared import REFERENCE, ROOT, TODAY, set_in
from shared import reference_doc as reference_document

__all__ = ["REFERENCE", "ROOT", "TODAY", "set_in"]


@pytest.fixture(scope="session")
def reference_doc() -> dict[str, Any]:
    return reference_document()


def results_for(
    doc: dict[str, Any], states_hook: Callable[[list[Any]], list[Any]] | None = None
) -> list[Any]:
    from archkit.spec import spec_from_dict
    from archkit.verify.desired import desired_states
    from archkit.verify.rules import evaluate_results

    spec = spec_from_dict(doc)
    states = desired_states(spec)
    if states_hook is not None:
        states = states_hook(states)
    return evaluate_results(states, spec, mode="desired", today=TODAY)


@pytest.fixture
def variant(reference_doc: dict[str, Any]) -> Callable[..., list[Any]]:
    """``variant({"tables.main.point_in_time_recovery": False})`` -> rule results of that spec variant."""

    def build(
        changes: dict[str, Any], states_hook: Callable[[list[Any]], list[Any]] | None = None
    ) -> list[Any]:
        doc = copy.deepcopy(reference_doc)
        for dotted, value in changes.items():
            set_in(doc, dotted, value)
        return results_for(doc, states_hook)

    return build


@pytest.fixture(scope="session")
def reference_results(reference_doc: dict[str, Any]) -> list[Any]:
    return results_for(copy.deepcopy(reference_doc))


def statuses(results: Sequence[Any], rule_id: str, resource: str, attribute: str | None = None) -> list[str]:
    """Statuses of one rule on one resource (optionally one attribute), e.g. ['fail']."""
    return [
        r.status
        for r in results
        if r.rule_id == rule_id and r.resource == resource and (attribute is None or r.attribute == attribute)
    ]


def replace_state(states: list[Any], path: str, **changes: Any) -> list[Any]:
    """The states with the one at ``path`` replaced by a copy carrying ``changes`` (validated)."""
    out = []
    for state in states:
        if state.path == path:
            data = state.model_dump()
            data.update(changes)
            state = type(state).model_validate(data)
        out.append(state)
    return out
