"""The regional SaaS example (specs/examples/regional-saas.yaml): an API-only system in eu-central-1 with its
own domain and a regional web ACL with custom rules, no CloudFront.

Single changes behind the spec's back (archkit.emulate.changes) are each reported exactly, on the example's
one deployed account; the spec, mutated the way users get it wrong, is refused with located messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from archkit.spec import SpecError, parse_spec_text
from archkit.spec.waf import web_acls

from .conftest import EXAMPLES_DIR, Examples

NAME = "regional-saas"
PATH = EXAMPLES_DIR / f"{NAME}.yaml"
TEXT = PATH.read_text(encoding="utf-8")


def _drift(examples: Examples) -> list[tuple[str, str, str | None]]:
    run = examples.account(NAME).verify()
    return sorted((f.change or "", f.resource, f.attribute) for f in run.report.findings if f.kind == "drift")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("waf-rule-counts", [("changed", "api.waf", "rules.export-burst")]),
        ("waf-rate-raised", [("changed", "api.waf", "rules.export-burst")]),
        ("base-path-removed", [("changed", "api.domain", "base_paths.(none)")]),
        ("pitr-off", [("changed", "tables.tenants", "point_in_time_recovery")]),
    ],
)
def test_single_change_is_reported_exactly(change: str, expected: list[Any], examples: Examples) -> None:
    account = examples.account(NAME)
    with account.changed(change):
        assert _drift(examples) == expected
    assert _drift(examples) == []


@pytest.mark.slow
def test_a_changed_rule_reads_as_the_rule_it_became(examples: Examples) -> None:
    """The drift of a rule carries both summaries: priority, statement and the action that changed."""
    account = examples.account(NAME)
    with account.changed("waf-rule-counts"):
        run = account.verify()
    (finding,) = [f for f in run.report.findings if f.kind == "drift"]
    expected, actual = json.loads(str(finding.expected)), json.loads(str(finding.actual))
    assert (expected["Action"], actual["Action"]) == ({"Block": {}}, {"Count": {}})
    assert expected["Priority"] == actual["Priority"] == 0
    assert actual["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["ByteMatchStatement"][
        "SearchString"
    ] == ("/exports")


@pytest.mark.slow
def test_the_deployment_has_no_cloudfront_and_no_empty_stack(examples: Examples) -> None:
    cdk_out = examples.generated(NAME) / "cdk.out"
    manifest = json.loads((cdk_out / "manifest.json").read_text())
    stacks = {
        name: json.loads((cdk_out / a["properties"]["templateFile"]).read_text())
        for name, a in manifest["artifacts"].items()
        if a["type"] == "aws:cloudformation:stack"
    }
    types = {r["Type"] for t in stacks.values() for r in t["Resources"].values()}
    assert "AWS::CloudFront::Distribution" not in types
    assert {"AWS::ApiGateway::DomainName", "AWS::ApiGateway::BasePathMapping", "AWS::WAFv2::WebACL"} <= types
    regions = {
        name: a["environment"].rsplit("/", 1)[-1]
        for name, a in manifest["artifacts"].items()
        if name in stacks
    }
    # Only the billing APIs leave the primary region: without CloudFront nothing needs us-east-1.
    assert {n for n, r in regions.items() if r != "eu-central-1"} == {"invoice-prod-cost"}
    app = stacks["invoice-prod-application"]["Resources"]
    (rest_api,) = [r for r in app.values() if r["Type"] == "AWS::ApiGateway::RestApi"]
    assert rest_api["Properties"]["DisableExecuteApiEndpoint"] is True
    (acl,) = [r for r in app.values() if r["Type"] == "AWS::WAFv2::WebACL"]
    names = [rule["Name"] for rule in acl["Properties"]["Rules"]]
    spec = examples.spec(NAME)
    custom = [rule.name for rule in spec.api.waf.rules]
    assert names[: len(custom)] == custom  # custom rules first, in the order given
    assert [r["Priority"] for r in acl["Properties"]["Rules"]] == list(range(len(names)))
    (common,) = [r for r in acl["Properties"]["Rules"] if r["Name"] == "common"]
    overrides = common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    assert overrides == [
        {"ActionToUse": {"Count": {}}, "Name": "SizeRestrictions_BODY"},
        {"ActionToUse": {"Count": {}}, "Name": "NoUserAgent_HEADER"},
    ]
    assert [a.path for a in web_acls(spec)] == ["api.waf"]


# --- the spec, mutated the way users get it wrong (no synthesis) -------------------------------------------


def _line_col(text: str, needle: str, offset: int = 0) -> str:
    """``line:col`` of ``needle`` (+ ``offset`` columns) in ``text``."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1 + offset
    return f"{line}:{col}"


DOMAIN = (
    "  domain:\n    domain_name: api.invoice.example.com\n"
    '    base_paths: [""]\n    security_policy: TLS_1_2\n'
)
"""The example's `api.domain` block, as written."""

MUTATIONS = [
    (
        "record-name",
        "- {name: api, type: A, target: api}",
        "- {name: app, type: A, target: api}",
        ("app, type: A", 0),
        "edge.dns.records.0.name: the record names app.invoice.example.com, but api.domain.domain_name is "
        "api.invoice.example.com: API Gateway answers only its domain's name",
    ),
    (
        "domain-outside-zone",
        "domain_name: api.invoice.example.com",
        "domain_name: api.invoice.example.org",
        ("api.invoice.example.org", 0),
        "api.domain.domain_name: api.invoice.example.org is not in the hosted zone invoice.example.com, "
        "where its certificate is validated; name a certificate_arn",
    ),
    (
        "two-statements",
        "        geo_match: [KP, IR, SY, CU]",
        "        geo_match: [KP, IR, SY, CU]\n        ip_set: [10.0.0.0/8]",
        ("name: sanctioned-countries", 0),
        "api.waf.rules.2: a WAF rule has exactly one of rate_limit, ip_set, geo_match, managed "
        "(got ip_set, geo_match)",
    ),
    (
        "duplicate-rule-name",
        "      - name: abusers",
        "      - name: common",
        ("name: common\n        action: block\n        managed", 6),
        "api.waf.rules.4.name: rule name 'common' is used twice in this web ACL",
    ),
    (
        "reserved-rule-name",
        "      - name: abusers",
        "      - name: RateLimit",
        ("RateLimit", 0),
        "api.waf.rules.3.name: rule name 'RateLimit' is taken by a rule archkit adds ("
        "AWS-AWSManagedRulesAmazonIpReputationList, RateLimit, AWS-AWSManagedRulesKnownBadInputsRuleSet, "
        "AWS-AWSManagedRulesSQLiRuleSet)",
    ),
    (
        "country-code",
        "geo_match: [KP, IR, SY, CU]",
        "geo_match: [KP, Iran]",
        ("Iran", 0),
        "api.waf.rules.2.geo_match.1: 'Iran' is not an ISO 3166 alpha-2 country code",
    ),
    (
        "allow-a-managed-group",
        "      - name: common\n        action: block",
        "      - name: common\n        action: allow",
        ("name: common", 0),
        "api.waf.rules.4: action allow is not possible for a managed rule (block or count)",
    ),
    (
        "rate-window",
        "window_seconds: 300, path",
        "window_seconds: 30, path",
        ("30, path", 0),
        "api.waf.rules.0.rate_limit.window_seconds: 30 is not a WAF evaluation window (60, 120, 300, 600)",
    ),
    (
        "window-typo",
        "{limit: 100, window_seconds: 300",
        "{limit: 100, windows_seconds: 300",
        ("windows_seconds", 0),
        "api.waf.rules.0.rate_limit.windows_seconds: unknown key 'windows_seconds'; did you mean "
        "'window_seconds'?",
    ),
    (
        "edge-waf-without-cloudfront",
        "  waf: {enabled: false}\n\napi:",
        "  waf: {enabled: true}\n\napi:",
        ("enabled: true}\n\napi:", 9),
        "edge.waf.enabled: the WAF web ACL protects CloudFront; enable edge.cdn, or protect the API stage "
        "with api.waf",
    ),
    (
        "execute-api-off-without-domain",
        DOMAIN,
        "",
        ("disable_execute_api_endpoint: true", 30),
        "api.disable_execute_api_endpoint: without the execute-api endpoint the API is reached only through "
        "api.domain; declare it",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_mutated_example_is_refused_with_a_located_message(
    old: str, new: str, where: tuple[str, int], message: str
) -> None:
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    with pytest.raises(SpecError) as caught:
        parse_spec_text(text, f"{NAME}.yaml")
    expected = f"{NAME}.yaml:{_line_col(text, where[0], where[1])}: {message}"
    assert expected in str(caught.value).splitlines()


def test_a_record_to_the_api_without_a_domain_names_the_record() -> None:
    text = TEXT.replace("  disable_execute_api_endpoint: true\n", "").replace(DOMAIN, "")
    with pytest.raises(SpecError) as caught:
        parse_spec_text(text, f"{NAME}.yaml")
    assert str(caught.value).splitlines() == [
        f"{NAME}.yaml:{_line_col(text, 'target: api}', 8)}: edge.dns.records.0.target: target api needs "
        "api.domain (the API's custom domain name)",
        f"{NAME}.yaml:{_line_col(text, 'AAAA, target: api}', 14)}: edge.dns.records.1.target: target api "
        "needs api.domain (the API's custom domain name)",
    ]
