"""The rules guarding the holes issue 14 closed, on the spec (desired states): the reference passes each, and
one change behind each makes exactly that rule fail on exactly that resource."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.rules.conftest import replace_state, statuses


def _public_statement(states: list[Any]) -> list[Any]:
    (assets,) = [s for s in states if s.path == "buckets.assets"]
    statements = {sid: st.model_dump() for sid, st in assets.policy_statements.items()}
    statements["PublicRead"] = {"effect": "Allow", "principal": "*", "access": "read", "prefix": ""}
    return replace_state(states, "buckets.assets", policy_statements=statements)


@dataclass(frozen=True)
class Case:
    rule: str
    resource: str
    bad: dict[str, Any] = field(default_factory=dict)
    hook: Any = None
    attribute: str | None = None


CASES = [
    Case("ARCH-EC2-003", "network.bastion", {"network.bastion.subnet": "public"}, attribute="public_ip"),
    Case("ARCH-DDB-003", "tables.main", {"tables.main.deletion_protection": False}),
    Case("ARCH-ELB-004", "network.alb", {"network.alb.internet_facing": True}, attribute="scheme"),
    Case(
        "ARCH-S3-006",
        "buckets.assets",
        hook=_public_statement,
        attribute="policy_statements.PublicRead.principal",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_reference_passes(case: Case, reference_results: list[Any]) -> None:
    assert set(statuses(reference_results, case.rule, case.resource)) == {"pass"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_the_change_fails_that_rule_on_that_resource(case: Case, variant) -> None:
    bad = variant(case.bad, case.hook)
    assert statuses(bad, case.rule, case.resource, case.attribute) == ["fail"]
    failing = {(r.rule_id, r.resource) for r in bad if r.status == "fail" and not r.suppressed}
    assert failing == {(case.rule, case.resource)}
