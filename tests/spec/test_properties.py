"""Property-based tests: valid specs survive a dump/load round trip; mutated specs fail only cleanly."""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archkit.spec import ArchSpec, SpecError, dump_spec, parse_spec_text, spec_from_dict

from .spec_helpers import REFERENCE

SETTINGS = settings(
    max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
REFERENCE_DOC: dict[str, Any] = yaml.safe_load(REFERENCE.read_text())

names = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
EDGE_OFF = {"dns": {"enabled": False}, "cdn": {"enabled": False}, "waf": {"enabled": False}}


@st.composite
def generated_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid spec built from scratch: random functions, tables, buckets, routes, network, environments."""
    azs = [f"eu-west-1{c}" for c in "abc"[: draw(st.integers(1, 3))]]
    table_names = draw(st.lists(names, max_size=3, unique=True))
    bucket_names = draw(st.lists(names, max_size=2, unique=True))
    function_names = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    tables: dict[str, Any] = {}
    for t in table_names:
        table: dict[str, Any] = {
            "partition_key": {
                "name": draw(names),
                "type": draw(st.sampled_from(["string", "number", "binary"])),
            }
        }
        if draw(st.booleans()):
            table["billing"] = "provisioned"
            table["auto_scaling"] = {"min_capacity": 1, "max_capacity": draw(st.integers(1, 500))}
        if draw(st.booleans()):
            table["stream"] = {"consumer": draw(st.sampled_from(function_names))}
        if draw(st.booleans()):
            table["indexes"] = {"by_" + t[:20]: {"partition_key": "gsi_" + t, "projection": "keys_only"}}
        tables[t] = table
    buckets = {
        b: {
            "prefixes": [{"path": "data/"}, {"path": "data/tmp/"}],
            "lifecycle": [
                {"id": "expire", "prefix": "data/tmp/", "expiration_days": draw(st.integers(1, 3650))}
            ],
            "versioning": draw(st.booleans()),
        }
        for b in bucket_names
    }
    in_vpc = draw(st.booleans())
    functions: dict[str, Any] = {}
    for f in function_names:
        grants = {f"tables.{t}": draw(st.sampled_from(["read", "write", "read_write"])) for t in table_names}
        grants |= {f"buckets.{b}": {"access": "read", "prefixes": ["data/"]} for b in bucket_names}
        env_vars = {f"T_{i}": f"${{tables.{t}.name}}" for i, t in enumerate(table_names)}
        functions[f] = {
            "handler": f"app.{f}",
            "memory": draw(st.integers(128, 10240)),
            "timeout": draw(st.integers(1, 900)),
            "architecture": draw(st.sampled_from(["arm64", "x86_64"])),
            "runtime": draw(st.sampled_from(["python3.12", "python3.13", "nodejs22.x"])),
            "reserved_concurrency": draw(st.none() | st.integers(0, 1000)),
            "vpc": in_vpc,
            "environment": env_vars | {"ENVIRONMENT": "${environment}"},
            "grants": grants,
        }
    paths = draw(st.lists(st.from_regex(r"/[a-z]{1,8}(/\{id\})?", fullmatch=True), max_size=4, unique=True))
    routes = {
        p: {
            verb: draw(st.sampled_from(function_names))
            for verb in draw(st.sets(st.sampled_from(["GET", "POST", "PUT"]), min_size=1))
        }
        for p in paths
    }
    network: dict[str, Any] = {"nat_gateways": 0}
    if in_vpc:
        network = {
            "public_subnets": [{"az": az, "cidr": f"10.0.{i}.0/24"} for i, az in enumerate(azs)],
            "private_subnets": [{"az": az, "cidr": f"10.0.{10 + i}.0/24"} for i, az in enumerate(azs)],
            "nat_gateways": draw(st.integers(0, len(azs))),
        }
    doc: dict[str, Any] = {
        "project": draw(st.from_regex(r"[a-z][a-z0-9]{0,9}", fullmatch=True)),
        "owner": "team",
        "region": "eu-west-1",
        "availability_zones": azs,
        "network": network,
        "edge": EDGE_OFF,
        "functions": functions,
        "tables": tables,
        "buckets": buckets,
        "api": {"routes": routes, "throttling": {"rate": draw(st.integers(1, 10000)), "burst": 10}},
    }
    if draw(st.booleans()):
        doc["environments"] = {
            "prod": {},
            "dev": {"functions": {"*": {"memory": draw(st.integers(128, 512))}}},
        }
    return doc


@st.composite
def reference_variants(draw: st.DrawFn) -> dict[str, Any]:
    """The reference with random routes kept, random sizing and limits, and a random environment."""
    doc = copy.deepcopy(REFERENCE_DOC)
    routes = doc["api"]["routes"]
    keep = draw(st.lists(st.sampled_from(sorted(routes)), unique=True))
    doc["api"]["routes"] = {p: routes[p] for p in sorted(routes) if p in keep}
    for fn in doc["functions"].values():
        fn["memory"] = draw(st.integers(128, 10240))
        fn["timeout"] = draw(st.integers(1, 900))
        fn["reserved_concurrency"] = draw(st.none() | st.integers(0, 3000))
    doc["api"]["throttling"]["rate"] = draw(st.floats(0.5, 20000, allow_nan=False))
    doc["cost"]["budgets"]["monthly"]["amount"] = draw(st.integers(1, 10**6))
    doc["edge"]["waf"]["geo_block"] = draw(
        st.lists(st.sampled_from(["KP", "IR", "SY", "CU", "RU"]), unique=True)
    )
    doc["environment"] = draw(st.sampled_from(["prod", "dev"]))
    return doc


@SETTINGS
@given(generated_specs())
def test_generated_specs_round_trip(doc: dict[str, Any]) -> None:
    spec = spec_from_dict(doc)
    assert parse_spec_text(dump_spec(spec), "dumped.yaml") == spec
    assert parse_spec_text(json.dumps(doc), "same.json") == spec


@SETTINGS
@given(reference_variants())
def test_reference_variants_round_trip(doc: dict[str, Any]) -> None:
    spec = spec_from_dict(doc)
    assert parse_spec_text(dump_spec(spec), "dumped.yaml") == spec


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(REFERENCE_DOC)[1:]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3),
)


def _assert_clean_failure(text: str, file: str, env: str | None) -> None:
    try:
        spec = parse_spec_text(text, file, env)
    except SpecError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert isinstance(issue.path, str) and issue.message and issue.file == file
            assert issue.line is None or issue.line >= 1
    else:
        assert isinstance(spec, ArchSpec)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(PATHS), st.sampled_from(["delete", "replace", "rename", "inject"]), junk),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([None, "dev"]),
)
def test_mutated_reference_fails_cleanly(
    mutations: list[tuple[tuple[Any, ...], str, Any]], env: str | None
) -> None:
    doc = copy.deepcopy(REFERENCE_DOC)
    for path, op, value in mutations:
        parent: Any = doc
        try:
            for part in path[:-1]:
                parent = parent[part]
            key = path[-1]
            current = parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = value
        elif op == "rename" and isinstance(current, str):
            parent[key] = current + "x"
        elif op == "inject" and isinstance(current, dict):
            current["junk_key"] = value
    _assert_clean_failure(yaml.safe_dump(doc), "mutated.yaml", env)
    _assert_clean_failure(json.dumps(doc), "mutated.json", env)


@SETTINGS
@given(
    st.integers(0, 20000),
    st.text(alphabet="{}[]:,-*&!|>'\"#\t\n xy0", min_size=1, max_size=8),
    st.integers(0, 20),
)
def test_text_mutations_fail_cleanly(position: int, inserted: str, deleted: int) -> None:
    text = REFERENCE.read_text()
    position %= len(text)
    _assert_clean_failure(text[:position] + inserted + text[position + deleted :], "mutated.yaml", None)
