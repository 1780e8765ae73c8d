"""Every bad fixture fails with exactly the located issues listed here (table-driven).

An expectation is (spec path, line, column or None, message fragment). Every file in the bad corpus must
have an entry, so a new fixture cannot go untested.
"""

from __future__ import annotations

import pytest

from .spec_helpers import BAD, issues_of

Expected = tuple[str, int, int | None, str]

EXPECTATIONS: dict[str, list[Expected]] = {
    "malformed_yaml.yaml": [("", 8, 7, "malformed YAML: while parsing a flow mapping")],
    "malformed_json.json": [("", 4, 53, "malformed JSON: Expecting property name enclosed in double quotes")],
    "wrong_type.yaml": [("functions.get_user.memory", 10, 13, "expected a valid integer")],
    "wrong_type_json.json": [("network.nat_gateways", 4, 31, "expected a valid integer")],
    "unknown_key.yaml": [
        ("functions.get_user.memroy", 10, 5, "unknown key 'memroy'; did you mean 'memory'?")
    ],
    "missing_required.yaml": [("functions.get_user.handler", 7, 3, "required key 'handler' is missing")],
    "dangling_route.yaml": [
        (
            "api.routes./api/users.GET.function",
            11,
            12,
            "unknown function 'get_users'; did you mean 'get_user'?",
        )
    ],
    "dangling_grant.yaml": [
        ("functions.get_user.grants.tables.user", 10, 27, "unknown table 'user'; did you mean 'users'?")
    ],
    "duplicate_key.yaml": [
        ("functions.get_user", 9, 3, "duplicate key 'get_user' (first defined on line 7)")
    ],
    "overlapping_cidr.yaml": [
        (
            "network.private_subnets.0.cidr",
            12,
            30,
            "10.0.0.0/23 overlaps 10.0.0.0/24 of network.public_subnets.0",
        ),
        (
            "network.private_subnets.0.cidr",
            12,
            30,
            "10.0.0.0/23 overlaps 10.0.1.0/24 of network.public_subnets.1",
        ),
    ],
    "subnet_placement.yaml": [
        ("network.public_subnets.0.cidr", 9, 30, "10.1.0.0/24 is outside the VPC CIDR 10.0.0.0/16"),
        ("network.public_subnets.1.az", 10, 12, "unknown availability zone 'us-east-1c'"),
    ],
    "table_keys.yaml": [
        ("tables.items.attributes.colour", 10, 42, "attribute 'colour' is no key of the table or an index"),
        ("tables.items.indexes.by_status.sort_key", 14, 9, "'created_at' is declared as number elsewhere"),
    ],
    "stream_consumer.yaml": [
        (
            "tables.items.stream.consumer",
            11,
            50,
            "unknown function 'process_streams'; did you mean 'process_stream'?",
        )
    ],
    "lifecycle_prefix.yaml": [
        ("buckets.assets.lifecycle.0.prefix", 13, 17, "unknown prefix 'backup/'; did you mean 'backups/'?")
    ],
    "undeclared_secret.yaml": [
        ("functions.auth.secrets.0", 10, 15, "unknown secret 'jwt_secret'; did you mean 'jwt_secrets'?")
    ],
    "bucket_name.yaml": [
        (
            "buckets.customer_uploads_and_attachments_store",
            8,
            3,
            "bucket name 'a-long-project-name-production-customer-uploads-and-attachments-store' "
            "breaks the S3 naming rules: it has 69 characters",
        )
    ],
    "invalid_key_name.yaml": [("functions.GetUser", 7, 3, "expected a name in lower snake case")],
    "literal_typo.yaml": [
        ("functions.get_user.runtime", 10, 14, "(got 'python3.21'); did you mean 'python3.13'?"),
        (
            "functions.get_user.architecture",
            11,
            19,
            "expected one of arm64, x86_64 (got 'ARM64'); did you mean 'arm64'?",
        ),
    ],
    "yaml_boolean_trap.yaml": [
        (
            "edge.waf.geo_block.1",
            8,
            41,
            "expected a valid string (got NO, which YAML reads as bool; quote it: 'NO')",
        )
    ],
    "env_override.yaml": [
        (
            "functions.get_user.memory",
            9,
            31,
            "greater than or equal to 128 (got 64) (set by environments.dev.functions.*.memory) "
            "[environment dev]",
        )
    ],
    "alias_error.yaml": [
        ("functions.get_user.environment.TABLE_NAME", 11, 19, "unknown placeholder '${tables.user.name}'"),
        (
            "functions.add_user.environment.TABLE_NAME",
            11,
            19,
            "(from anchor &common_env on line 10, used via *common_env on line 15)",
        ),
    ],
    "unknown_environment.yaml": [
        ("environment", 6, 14, "environment 'staging' is not declared in `environments`")
    ],
    "several_errors.yaml": [
        ("functions.get_user.timeout", 10, 14, "greater than or equal to 1 (got 0)"),
        ("functions.add_user.grants.tables.user", 14, 27, "unknown table 'user'; did you mean 'users'?"),
        (
            "api.routes./api/users.POST.function",
            19,
            13,
            "unknown function 'add_users'; did you mean 'add_user'?",
        ),
        ("tables.users.billing", 21, 44, "(got 'on-demand'); did you mean 'on_demand'?"),
    ],
    "empty.yaml": [("", 1, 1, "the file is empty")],
    "top_level_list.yaml": [("", 1, 1, "expected a mapping at the top level, got list")],
    "recursive_alias.yaml": [("tags.nested", 7, 11, "recursive alias")],
    "reserved_tag.yaml": [
        ("tags.Owner", 7, 10, "tag 'Owner' is set by archkit"),
        ("tags.aws:createdBy", 8, 20, "tag keys starting with 'aws:' are reserved"),
    ],
    "unknown_suppression_rule.yaml": [
        (
            "compliance.suppressions.0.rule",
            11,
            13,
            "unknown rule id 'ARCH-DBD-001'; did you mean 'ARCH-DDB-001'?",
        )
    ],
}


def test_every_bad_fixture_has_expectations() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_bad_fixture_issues(name: str) -> None:
    issues = issues_of(BAD / name)
    found = [(i.path, i.line, i.column, i.message) for i in issues]
    assert len(issues) == len(EXPECTATIONS[name]), found
    for path, line, column, fragment in EXPECTATIONS[name]:
        matches = [f for f in found if f[0] == path and f[1] == line and fragment in f[3]]
        assert matches, f"no issue at {path} line {line} containing {fragment!r}; got {found}"
        if column is not None:
            assert any(m[2] == column for m in matches), (column, matches)
    assert all(i.file == str(BAD / name) for i in issues)
