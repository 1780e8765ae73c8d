"""Names that deploy in a real account: the naming pattern (global and per type), explicit physical names,
`{account}` resolved at deploy and verify time, AWS's naming rules checked at validate time; the cost scope;
one decision, one suppression (pure Python: no synthesis, no account)."""

from __future__ import annotations

import warnings

import pytest

from archkit.spec import SpecDeprecationWarning, load_spec, parse_spec_text
from archkit.spec.suppressions import implied_nag_suppressions, implied_suppressions

from .spec_helpers import REFERENCE, text_issues

BASE = """\
project: ledger
owner: ledger-team
region: eu-west-1
availability_zones: [eu-west-1a, eu-west-1b]
network: {nat_gateways: 0}
edge: {dns: {enabled: false}, cdn: {enabled: false}, waf: {enabled: false}}
"""


def names(spec) -> dict[str, str]:
    return {r.path: r.name for r in spec.resources()}


def test_existing_specs_keep_their_names():
    spec = load_spec(REFERENCE)
    got = names(spec)
    assert got["buckets.assets"] == "shop-prod-assets"
    assert got["tables.main"] == "shop-prod-main"
    assert got["functions.get_user"] == "shop-prod-get-user"
    assert got["secrets.jwt_secret"] == "shop-prod-jwt-secret"
    assert got["network.vpc"] == "shop-prod-vpc"
    assert spec.naming.pattern == "{project}-{environment}-{key}" and spec.naming.patterns == {}


def test_type_pattern_and_explicit_name():
    spec = parse_spec_text(
        BASE
        + """\
naming:
  patterns: {buckets: "{project}-{environment}-{key}-{account}-{region}"}
buckets:
  documents: {}
  archive: {physical_name: "acme-ledger-archive"}
tables:
  entries: {partition_key: id, physical_name: "{project}-entries-v2"}
""",
        "spec.yaml",
    )
    got = names(spec)
    assert got["buckets.documents"] == "ledger-prod-documents-{account}-eu-west-1"
    assert got["buckets.archive"] == "acme-ledger-archive"
    assert got["tables.entries"] == "ledger-entries-v2"
    assert got["network.vpc"] == "ledger-prod-vpc"  # other types keep the global pattern
    # Deploy binds CDK's account token, verify the caller's account; the spec's own account wins over both.
    assert spec.for_account("210987654321").name_of("documents", "buckets") == (
        "ledger-prod-documents-210987654321-eu-west-1"
    )
    spec.account = "123123123123"
    assert spec.for_account("210987654321").name_of("documents", "buckets") == (
        "ledger-prod-documents-123123123123-eu-west-1"
    )


def test_global_pattern_with_fixed_suffix_names_every_resource_and_derived_names():
    spec = parse_spec_text(
        BASE
        + """\
naming: {pattern: "{project}-{key}-{environment}-x7"}
functions:
  get_entry: {handler: app.get, vpc: false}
""",
        "spec.yaml",
    )
    assert spec.name_of("get_entry", "functions") == "ledger-get-entry-prod-x7"
    from archkit.spec.naming import function_role_name

    assert function_role_name(spec, "get_entry") == "ledger-get-entry-prod-x7-role"


@pytest.mark.parametrize(
    ("extra", "path", "line", "column", "message"),
    [
        (
            'naming:\n  patterns: {buckets: "{project}-{key}-{acount}"}\n',
            "naming.patterns.buckets",
            8,
            23,
            "unknown placeholder '{acount}' in '{project}-{key}-{acount}' (did you mean '{account}'?)",
        ),
        (
            'naming: {pattern: "{project}-{environment}"}\n',
            "naming.pattern",
            7,
            19,
            "'{project}-{environment}' has no {key}: every resource of the type would get the same name",
        ),
        (
            "buckets:\n  docs: {physical_name: Ledger_Docs}\n",
            "buckets.docs.physical_name",
            8,
            25,
            "bucket name 'Ledger_Docs' of buckets.docs breaks the S3 naming rules: only lower-case letters",
        ),
        (
            "tables:\n  entries: {partition_key: id, physical_name: ab}\n",
            "tables.entries.physical_name",
            8,
            47,
            "DynamoDB table name 'ab' of tables.entries breaks AWS's rule for DynamoDB table names: it has 2 "
            "characters, the limit is 3-255",
        ),
        (
            'naming:\n  patterns: {buckets: "{project}-{environment}-{key}-{account}-{region}-'
            'long-term-archive-copy"}\n'
            "buckets:\n  documents: {}\n",
            "buckets.documents",
            10,
            3,
            "bucket name 'ledger-prod-documents-{account}-eu-west-1-long-term-archive-copy' (with a 12-digit "
            "account id) breaks the S3 naming rules: it has 67 characters",
        ),
        (
            'naming: {pattern: "{project}-{environment}-{key}-with-a-long-suffix-for-everything"}\n'
            "functions:\n  reconcile_entries: {handler: app.run, vpc: false}\n",
            "functions.reconcile_entries",
            9,
            3,
            "execution role name 'ledger-prod-reconcile-entries-with-a-long-suffix-for-everything-role' "
            "breaks AWS's rule for IAM role names: it has 68 characters, the limit is 1-64 (named by "
            "naming.pattern: '{project}-{environment}-{key}-with-a-long-suffix-for-everything')",
        ),
    ],
    ids=[
        "placeholder-typo",
        "no-key",
        "bucket-chars",
        "table-length",
        "bucket-account-length",
        "function-length",
    ],
)
def test_name_errors_are_located(extra, path, line, column, message):
    issues = text_issues(BASE + extra)
    found = [(i.path, i.line, i.column) for i in issues if message in i.message]
    assert found == [(path, line, column)], [str(i) for i in issues]


def test_cost_scope_needs_both_tags_activated():
    issues = text_issues(BASE + "cost:\n  allocation_tags: [Project, Owner]\n")
    assert [(i.path, i.message) for i in issues] == [
        (
            "cost.allocation_tags",
            "'Environment' must be an allocation tag: budgets and the anomaly monitor count only costs "
            "tagged Project, Environment",
        )
    ]


def test_verify_resolves_account_from_the_caller():
    from archkit.verify.collect import named_for_caller
    from archkit.verify.desired import desired_states

    class Caller:
        def caller_account(self) -> str:
            return "444455556666"

    spec = parse_spec_text(
        BASE + 'naming:\n  patterns: {buckets: "{project}-{key}-{account}"}\nbuckets:\n  docs: {}\n',
        "spec.yaml",
    )
    bound = named_for_caller(spec, Caller())  # type: ignore[arg-type]
    (bucket,) = [s for s in desired_states(bound) if s.path == "buckets.docs"]
    assert bucket.physical_id == "ledger-docs-444455556666"
    plain = load_spec(REFERENCE)
    assert named_for_caller(plain, object()) is plain  # type: ignore[arg-type]  # no {account}: no STS call


def test_one_decision_one_suppression_both_ways():
    spec = load_spec(REFERENCE)
    implied = {(n.rule, n.resource): n.reason for n in implied_nag_suppressions(spec)}
    reasons = {s.rule: s.reason for s in spec.compliance.suppressions}
    assert implied[("AwsSolutions-S1", "buckets.logs")] == reasons["ARCH-S3-005"]
    assert implied[("AwsSolutions-SMG4", "secrets.origin_verify")] == reasons["ARCH-SMG-001"]
    back = {(s.rule, s.resource): s.reason for s in implied_suppressions(spec)}
    cfr1 = next(n for n in spec.compliance.nag_suppressions if n.rule == "AwsSolutions-CFR1")
    assert back[("ARCH-WAF-005", "edge.cdn")] == cfr1.reason


def test_the_doubled_form_loads_with_a_deprecation_warning():
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "  nag_suppressions:\n",
        "  nag_suppressions:\n"
        "    - rule: AwsSolutions-S1\n"
        "      resource: buckets.logs\n"
        "      reason: The logs bucket is the destination of the server access logs.\n",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = parse_spec_text(text, "reference.yaml")
    messages = {str(w.message) for w in caught if issubclass(w.category, SpecDeprecationWarning)}
    line = text.splitlines().index("    - rule: AwsSolutions-S1") + 1
    assert messages == {
        f"reference.yaml:{line}:7: compliance.nag_suppressions.0: deprecated: AwsSolutions-S1 on "
        "buckets.logs is implied by compliance.suppressions.1 (ARCH-S3-005, its archkit counterpart); "
        "remove this entry (one decision, one suppression)"
    }
    assert spec.compliance.nag_suppressions[0].rule == "AwsSolutions-S1"  # still valid
