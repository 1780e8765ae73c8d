"""The rules guarding the holes issue 14 closed, on the spec (desired states): the reference passes each, and
one change behind each makes exactly that rule fail on exactly that resource (a spec change where the spec
can express the mistake, else the desired state changed as the account would be)."""

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


PUBLIC = {"actions": ["lambda:InvokeFunction"], "conditions": []}


def _policy_added(path: str, field: str, key: str, statement: dict[str, Any]) -> Any:
    """A hook adding (or replacing) one statement of a resource policy state."""

    def hook(states: list[Any]) -> list[Any]:
        (state,) = [s for s in states if s.path == path]
        policy = {k: v.model_dump() for k, v in getattr(state, field).items()}
        policy[key] = statement
        return replace_state(states, path, **{field: policy})

    return hook


def _set(path: str, **changes: Any) -> Any:
    return lambda states: replace_state(states, path, **changes)


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
    Case(
        "ARCH-LAM-007",
        "functions.get_user",
        hook=_policy_added("functions.get_user", "resource_policy", "Allow *", PUBLIC),
        attribute="resource_policy[Allow *]",
    ),
    Case(
        "ARCH-LAM-008",
        "functions.rotate_secret",
        hook=_policy_added(
            "functions.rotate_secret", "resource_policy", "Allow secretsmanager.amazonaws.com", PUBLIC
        ),
        attribute="resource_policy[Allow secretsmanager.amazonaws.com].conditions",
    ),
    Case(
        "ARCH-SQS-001",
        "tables.main.stream_failures",
        hook=_policy_added(
            "tables.main.stream_failures", "policy", "Allow *", {"actions": ["sqs:*"], "conditions": []}
        ),
        attribute="policy[Allow *]",
    ),
    Case(
        "ARCH-SMG-002",
        "secrets.db_password",
        hook=_policy_added(
            "secrets.db_password",
            "resource_policy",
            "Allow *",
            {"actions": ["secretsmanager:GetSecretValue"], "conditions": []},
        ),
        attribute="resource_policy[Allow *]",
    ),
    Case(
        "ARCH-VPC-004",
        "network.vpc",
        {"network.restrict_default_security_group": False},
        attribute="default_security_group_open",
    ),
    Case("ARCH-RDS-007", "rds", {"rds.require_tls": False}, attribute="require_tls"),
    Case("ARCH-WAF-007", "edge.waf", hook=_set("edge.waf", logging=False), attribute="logging"),
    Case("ARCH-WAF-007", "api", hook=_set("api", web_acl_logging=False), attribute="web_acl_logging"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}:{c.resource}")
def test_reference_passes(case: Case, reference_results: list[Any]) -> None:
    assert set(statuses(reference_results, case.rule, case.resource)) == {"pass"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}:{c.resource}")
def test_the_change_fails_that_rule_on_that_resource(case: Case, variant) -> None:
    bad = variant(case.bad, case.hook)
    assert statuses(bad, case.rule, case.resource, case.attribute) == ["fail"]
    failing = {(r.rule_id, r.resource) for r in bad if r.status == "fail" and not r.suppressed}
    assert failing == {(case.rule, case.resource)}


def test_a_scoped_statement_for_everyone_is_not_public(variant) -> None:
    """`Principal: *` narrowed by a source account (how some policies grant services) is not public."""
    scoped = {"actions": ["lambda:InvokeFunction"], "conditions": ["StringEquals aws:sourceaccount"]}
    results = variant({}, _policy_added("functions.get_user", "resource_policy", "Allow *", scoped))
    assert statuses(results, "ARCH-LAM-007", "functions.get_user") == ["pass"]


def test_the_spec_turning_waf_logging_off_fails_both_web_acls(variant) -> None:
    results = variant({"edge.waf.logging.enabled": False})
    failing = {
        (r.resource, r.attribute) for r in results if r.rule_id == "ARCH-WAF-007" and r.status == "fail"
    }
    assert failing == {("edge.waf", "logging"), ("api", "web_acl_logging")}


def test_a_function_without_service_permissions_is_not_applicable(reference_results) -> None:
    assert statuses(reference_results, "ARCH-LAM-008", "functions.process_stream") == ["not_applicable"]
