"""Every rule on the spec alone (`archkit verify --static`): the reference spec passes it, a variant fails it.

A bad case is a spec variant where the spec can express the mistake; where the spec model cannot (e.g. it
only offers HTTPS viewer policies), the desired state of the reference is altered the way an account could
drift, which is what the same rule sees after deploy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.rules.conftest import replace_state, statuses


def _drop_group(name: str):
    def hook(states: list[Any]) -> list[Any]:
        acl = next(s for s in states if s.path == "edge.waf")
        return replace_state(
            states, "edge.waf", managed_rule_groups=[g for g in acl.managed_rule_groups if name not in g]
        )

    return hook


def _state(path: str, **changes: Any):
    return lambda states: replace_state(states, path, **changes)


def _wildcard_role(states: list[Any]) -> list[Any]:
    statement = {
        "effect": "Allow",
        "actions": ["dynamodb:*"],
        "resources": ["arn:aws:dynamodb:us-east-1:1:table/*"],
    }
    return replace_state(states, "functions.get_user", role_statements=[statement])


def _scoped_role(states: list[Any]) -> list[Any]:
    statements = [
        {
            "effect": "Allow",
            "actions": ["dynamodb:GetItem", "dynamodb:Query"],
            "resources": [
                "arn:aws:dynamodb:us-east-1:1:table/shop-prod-main",
                "arn:aws:dynamodb:us-east-1:1:table/shop-prod-main/index/*",
            ],
        },
        {"effect": "Allow", "actions": ["dynamodb:ListStreams"], "resources": ["*"]},
        {
            "effect": "Allow",
            "actions": ["s3:GetObject*"],
            "resources": ["arn:aws:s3:::shop-prod-assets/uploads/*"],
        },
        {"effect": "Allow", "actions": ["xray:PutTraceSegments"], "resources": ["*"]},
    ]
    return replace_state(states, "functions.get_user", role_statements=statements)


def _drop_tag(states: list[Any]) -> list[Any]:
    table = next(s for s in states if s.path == "tables.main")
    return replace_state(states, "tables.main", tags={k: v for k, v in table.tags.items() if k != "Owner"})


@dataclass(frozen=True)
class Case:
    rule: str
    resource: str
    bad: dict[str, Any] = field(default_factory=dict)
    hook: Any = None
    attribute: str | None = None
    good: str = "pass"
    good_attribute: str | None = "<same>"
    """Attribute of the reference's outcome when it differs from the bad one (e.g. `environment`)."""


CASES = [
    # 1. edge
    Case("ARCH-CFR-001", "edge.cdn", {"edge.waf.enabled": False}, attribute=None),
    Case("ARCH-CFR-002", "edge.cdn", hook=_state("edge.cdn", viewer_protocol="allow-all")),
    Case("ARCH-CFR-003", "edge.cdn", {"security.data.tls_minimum": "1.3"}),
    Case("ARCH-CFR-004", "edge.cdn", {"edge.cdn.logs_bucket": None}),
    Case("ARCH-CFR-005", "edge.cdn", {"edge.cdn.compression": False}),
    Case("ARCH-WAF-001", "edge.waf", {"edge.waf.rate_limit": None}),
    Case("ARCH-WAF-002", "edge.waf", {"edge.waf.sql_injection": False}),
    Case("ARCH-WAF-003", "edge.waf", {"edge.waf.xss": False}),
    Case("ARCH-WAF-004", "edge.waf", hook=_drop_group("BotControl")),
    Case("ARCH-WAF-005", "edge.waf", hook=_state("edge.waf", geo_block=["KP"])),
    Case("ARCH-WAF-006", "edge.waf", hook=_drop_group("KnownBadInputs"), attribute="managed_rule_groups"),
    # 2. API
    Case(
        "ARCH-APIG-001",
        "api",
        {"api.default_authorizer": None},
        attribute="methods.GET /api/users.authorizer",
    ),
    Case(
        "ARCH-APIG-002",
        "api",
        {"api|routes|/api/users|POST": "add_user"},
        attribute="methods.POST /api/users.validation",
    ),
    Case("ARCH-APIG-003", "api", {"api.throttling.burst": 0}),
    Case("ARCH-APIG-004", "api", {"api.logging.access_logs": False}),
    Case("ARCH-APIG-005", "api", {"api.logging.execution_level": "OFF"}),
    Case(
        "ARCH-APIG-006",
        "api",
        {
            "api|routes|/api/items|GET": "get_items",
            "api|routes|/api/items|POST": {"function": "add_item", "request_model": "item"},
        },
    ),
    # The stage's own web ACL (origin verification, partner allow list) protects it too: detach both.
    Case("ARCH-APIG-007", "api", {"edge.waf.enabled": False}, hook=_state("api", web_acl=None)),
    Case("ARCH-APIG-008", "api", {"api.tracing": False}),
    # 3. application
    Case("ARCH-LAM-001", "functions.get_user", {"functions.get_user.vpc": False}),
    Case(
        "ARCH-LAM-002",
        "functions.get_user",
        {"functions.get_user.environment": {"DB_PASSWORD": "hunter2-hunter2"}},
        attribute="environment.DB_PASSWORD",
        good_attribute="environment",
    ),
    Case(
        "ARCH-LAM-002",
        "functions.auth",
        {"functions.auth.environment": {"DATABASE_URL": "postgres://app:s3cret@db:5432/shop"}},
        attribute="environment.DATABASE_URL",
        good_attribute="environment",
    ),
    Case(
        "ARCH-LAM-003",
        "functions.get_user",
        hook=_state("functions.get_user", environment={"JWT_SECRET_SECRET_ARN": "plain"}),
        attribute="environment.JWT_SECRET_SECRET_ARN",
    ),
    Case("ARCH-LAM-004", "functions.get_user", {"functions.get_user.reserved_concurrency": None}),
    # On the state: without the queue, its cdk-nag suppression would name a resource that is gone.
    Case(
        "ARCH-LAM-005",
        "functions.process_stream",
        hook=_state(
            "functions.process_stream",
            event_sources={
                "tables.main": {
                    "batch_size": 100,
                    "starting_position": "LATEST",
                    "retry_attempts": 3,
                    "on_failure_destination": False,
                    "enabled": True,
                }
            },
        ),
    ),
    Case("ARCH-LAM-006", "functions.get_user", hook=_state("functions.get_user", log_retention_days=None)),
    Case("ARCH-LAM-006", "network.flow_logs", hook=_state("network.flow_logs", retention_days=None)),
    Case("ARCH-SMG-001", "secrets.jwt_secret", {"secrets.jwt_secret.rotation": None}),
    Case("ARCH-IAM-001", "functions.get_user", hook=_wildcard_role, good="not_applicable"),
    # 4. data
    Case("ARCH-DDB-001", "tables.main", {"tables.main.point_in_time_recovery": False}),
    Case(
        "ARCH-DDB-002", "tables.main", {"tables.main.encryption": "aws_managed", "tables.main.kms_key": None}
    ),
    Case("ARCH-S3-001", "buckets.assets", {"buckets.assets.block_public_access": False}),
    Case("ARCH-S3-002", "buckets.assets", {"security.data.encryption_at_rest": "aws:kms"}),
    Case("ARCH-S3-003", "buckets.assets", {"buckets.assets.enforce_tls": False}),
    Case("ARCH-S3-004", "buckets.assets", {"buckets.assets.versioning": False}),
    Case("ARCH-S3-005", "buckets.assets", {"buckets.assets.access_logs_bucket": None}),
    Case("ARCH-KMS-001", "security.kms_keys.data", {"security.kms_keys.data.rotation": False}),
    Case("ARCH-BAK-001", "buckets.assets", {"security.data.encryption_at_rest": "aws:kms"}),
    # network
    Case("ARCH-VPC-001", "network.vpc", {"network.flow_logs.enabled": False}),
    Case(
        "ARCH-VPC-002",
        "network.vpc",
        {"network.endpoints": [{"service": "s3", "type": "gateway"}]},
        attribute="endpoints.dynamodb",
    ),
    Case("ARCH-VPC-003", "network.vpc", {"network.nat_gateways": 1}),
    Case(
        "ARCH-SG-001",
        "network.security_groups.lambda",
        {
            "network.security_groups.lambda.ingress": [
                {"protocol": "tcp", "port": 22, "cidr": "0.0.0.0/0", "description": "debug"}
            ]
        },
        attribute="ingress",
    ),
    # cost
    Case(
        "ARCH-COST-001",
        "functions.get_user",
        {
            "functions.get_user.architecture": "x86_64",
            "layers.common.compatible_architectures": ["arm64", "x86_64"],
            "layers.aws_sdk.compatible_architectures": ["arm64", "x86_64"],
        },
    ),
    Case(
        "ARCH-COST-002",
        "buckets.assets",
        {"buckets.assets.lifecycle.0.transitions": [{"storage_class": "GLACIER", "days": 120}]},
    ),
    Case("ARCH-COST-003", "buckets.assets", hook=_state("buckets.assets", intelligent_tiering=[])),
    Case("ARCH-COST-004", "tables.main", hook=_drop_tag),
    Case("ARCH-COST-005", "cost.budgets", {"cost.budgets": {}}, good="absent"),
    Case("ARCH-COST-006", "cost.anomaly_detection", {"cost.anomaly_detection.enabled": False}),
]


def _case_id(case: Case) -> str:
    return f"{case.rule}:{case.resource}:{case.attribute or ''}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_reference_spec_is_compliant(case: Case, reference_results: list[Any]) -> None:
    attribute = case.attribute if case.good_attribute == "<same>" else case.good_attribute
    found = statuses(reference_results, case.rule, case.resource, attribute)
    if case.good == "absent":
        assert found == [], found
    else:
        assert found and set(found) == {case.good}, found


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_bad_variant_fails(case: Case, variant) -> None:
    results = variant(case.bad, case.hook)
    assert "fail" in statuses(results, case.rule, case.resource, case.attribute)
    # The mistake is pinned on that resource: the reference's other resources of the rule keep their verdict.
    failing = {r.resource for r in results if r.rule_id == case.rule and r.status == "fail"}
    assert case.resource in failing


def test_budget_present_passes_on_the_budget(reference_results: list[Any]) -> None:
    assert statuses(reference_results, "ARCH-COST-005", "cost.budgets.monthly", "alerts") == ["pass"]


def test_scoped_cdk_style_grants_pass_the_wildcard_rule(variant) -> None:
    results = variant({}, _scoped_role)
    assert statuses(results, "ARCH-IAM-001", "functions.get_user") == ["pass"]


def test_wildcard_rule_names_the_offending_grants(variant) -> None:
    results = variant({}, _wildcard_role)
    (result,) = [r for r in results if r.rule_id == "ARCH-IAM-001" and r.resource == "functions.get_user"]
    assert result.actual == [
        "action dynamodb:*",
        "resource arn:aws:dynamodb:us-east-1:1:table/* for dynamodb:*",
    ]


@pytest.mark.parametrize(
    ("changes", "rule", "status"),
    [
        ({"edge.waf.bot_control": False}, "ARCH-WAF-004", "not_applicable"),
        ({"edge.waf.geo_block": []}, "ARCH-WAF-005", "not_applicable"),
        ({"network.high_availability": False, "network.nat_gateways": 1}, "ARCH-VPC-003", "not_applicable"),
    ],
    ids=["bot-control-not-asked", "no-geo-block", "no-high-availability"],
)
def test_where_the_spec_does_not_ask_the_rule_does_not_apply(changes, rule, status, variant) -> None:
    target = "network.vpc" if rule == "ARCH-VPC-003" else "edge.waf"
    assert statuses(variant(changes), rule, target) == [status]


def test_sensitive_table_needs_a_customer_key_even_if_the_spec_says_otherwise(variant) -> None:
    results = variant(
        {"tables.main.encryption": "aws_owned", "tables.main.kms_key": None, "tables.main.replicas": []}
    )
    (result,) = [r for r in results if r.rule_id == "ARCH-DDB-002"]
    assert (result.status, result.expected, result.actual) == ("fail", "customer_managed", "aws_owned")
    relaxed = variant(
        {
            "tables.main.encryption": "aws_owned",
            "tables.main.kms_key": None,
            "tables.main.replicas": [],
            "tables.main.sensitive": False,
        }
    )
    assert statuses(relaxed, "ARCH-DDB-002", "tables.main") == ["pass"]


def test_public_methods_declared_in_the_spec_pass_the_authorizer_rule(reference_results: list[Any]) -> None:
    login = statuses(reference_results, "ARCH-APIG-001", "api", "methods.POST /api/auth/login.authorizer")
    assert login == ["pass"]


def test_failures_resting_on_unread_data_are_not_verdicts(reference_doc) -> None:
    """A resource verify could not read (not_checked) is not missing; an unread attribute is not wrong."""
    from tests.rules.conftest import TODAY

    from archkit.spec import spec_from_dict
    from archkit.verify.desired import desired_states
    from archkit.verify.kinds.ce_anomaly_monitor import AnomalyMonitorState
    from archkit.verify.rules import evaluate_results

    spec = spec_from_dict(reference_doc)
    states = [s for s in desired_states(spec) if not isinstance(s, AnomalyMonitorState)]
    states = replace_state(
        states, "buckets.assets", intelligent_tiering=[], unreadable={"intelligent_tiering": "unsupported"}
    )
    unread = evaluate_results(states, spec, today=TODAY, unreadable={"cost.anomaly_detection"})
    assert statuses(unread, "ARCH-COST-006", "cost.anomaly_detection") == ["not_applicable"]
    assert statuses(unread, "ARCH-COST-003", "buckets.assets") == ["not_applicable"]
    read = evaluate_results(
        replace_state(states, "buckets.assets", unreadable={}), spec, today=TODAY, unreadable=set()
    )
    assert statuses(read, "ARCH-COST-006", "cost.anomaly_detection") == ["fail"]
    assert statuses(read, "ARCH-COST-003", "buckets.assets") == ["fail"]
