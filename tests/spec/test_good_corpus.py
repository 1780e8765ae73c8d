"""Good specs load in every environment; YAML, JSON and Python give equal specs."""

from __future__ import annotations

import pytest

from archkit.spec import ArchSpec, dump_spec, load_environments, load_spec, parse_spec_text, spec_from_dict
from archkit.spec.api import ApiSpec, MethodSpec
from archkit.spec.compute import FunctionSpec, GrantSpec
from archkit.spec.data import BucketSpec, KeySpec, LifecycleRuleSpec, PrefixSpec, TableSpec
from archkit.spec.edge import CdnSpec, DnsSpec, EdgeSpec, WafSpec
from archkit.spec.network import FlowLogsSpec, NetworkSpec

from .spec_helpers import GOOD

GOOD_FILES = sorted(p.name for p in GOOD.iterdir())


def test_corpus_is_complete() -> None:
    assert GOOD_FILES == [
        "minimal.yaml",
        "multi_env.yaml",
        "no_suppressions.yaml",
        "no_vpc_functions.json",
        "no_vpc_functions.yaml",
        "provisioned_autoscaling.yaml",
    ]


@pytest.mark.parametrize("name", GOOD_FILES)
def test_good_spec_loads_and_round_trips(name: str) -> None:
    for env, spec in load_environments(GOOD / name).items():
        assert spec.environment == env
        assert parse_spec_text(dump_spec(spec), "dumped.yaml", env) == spec


def test_json_twin_equals_yaml() -> None:
    assert "\t" in (GOOD / "no_vpc_functions.json").read_text()  # tab-indented JSON (invalid YAML) loads
    assert load_spec(GOOD / "no_vpc_functions.json") == load_spec(GOOD / "no_vpc_functions.yaml")


def test_python_built_spec_equals_yaml() -> None:
    off = EdgeSpec(dns=DnsSpec(enabled=False), cdn=CdnSpec(enabled=False), waf=WafSpec(enabled=False))
    built = ArchSpec(
        project="notes",
        owner="notes-team",
        region="eu-west-1",
        availability_zones=["eu-west-1a", "eu-west-1b"],
        network=NetworkSpec(nat_gateways=0, flow_logs=FlowLogsSpec(enabled=False)),
        edge=off,
        functions={
            "list_notes": FunctionSpec(
                handler="notes.list_notes", vpc=False, grants={"tables.notes": GrantSpec()}
            ),
            "add_note": FunctionSpec(
                handler="notes.add_note",
                vpc=False,
                memory=512,
                timeout=15,
                architecture="x86_64",
                grants={
                    "tables.notes": GrantSpec(access="read_write"),
                    "buckets.attachments": GrantSpec(access="write", prefixes=["uploads/"]),
                },
            ),
        },
        tables={
            "notes": TableSpec(
                partition_key=KeySpec(name="owner_id"), sort_key=KeySpec(name="created_at", type="number")
            )
        },
        buckets={
            "attachments": BucketSpec(
                prefixes=[PrefixSpec(path="uploads/", description="Note attachments")],
                lifecycle=[LifecycleRuleSpec(id="expire-uploads", prefix="uploads/", expiration_days=30)],
            )
        },
        api=ApiSpec(
            routes={
                "/notes": {
                    "GET": MethodSpec(function="list_notes"),
                    "POST": MethodSpec(function="add_note", authorizer="none"),
                }
            }
        ),
    )
    assert built == load_spec(GOOD / "no_vpc_functions.yaml")
    # the same, from a plain dict with the shorthands a YAML author uses
    doc = {
        "project": "tiny",
        "owner": "data-team",
        "network": {"nat_gateways": 0},
        "edge": {"dns": {"enabled": False}, "cdn": {"enabled": False}, "waf": {"enabled": False}},
    }
    assert spec_from_dict(doc) == load_spec(GOOD / "minimal.yaml")


def test_python_built_spec_is_cross_checked() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown function 'nope'"):
        ArchSpec(
            project="tiny",
            owner="me",
            network=NetworkSpec(nat_gateways=0),
            edge=EdgeSpec(dns=DnsSpec(enabled=False), cdn=CdnSpec(enabled=False), waf=WafSpec(enabled=False)),
            api=ApiSpec(routes={"/x": {"GET": MethodSpec(function="nope")}}),
        )


def test_multi_env_overrides() -> None:
    specs = load_environments(GOOD / "multi_env.yaml")
    assert list(specs) == ["staging", "dev", "prod"]
    staging, dev, prod = specs["staging"], specs["dev"], specs["prod"]
    assert (staging.network.nat_gateways, dev.network.nat_gateways, prod.network.nat_gateways) == (2, 1, 2)
    assert [f.memory for f in dev.functions.values()] == [128, 128]
    assert [f.reserved_concurrency for f in dev.functions.values()] == [None, None]
    assert (prod.functions["api"].memory, prod.functions["worker"].memory) == (1024, 256)
    assert (staging.tables["carts"].replicas, prod.tables["carts"].replicas) == ([], ["eu-west-1"])
    assert (dev.tables["carts"].deletion_protection, prod.tables["carts"].deletion_protection) == (
        False,
        True,
    )
    amounts = [s.cost.budgets["monthly"].amount for s in (staging, dev, prod)]
    assert amounts == [500, 50, 2000]
    assert dev.cost.budgets["monthly"].emails == ["platform-team@example.com"]
    assert [s.name_of("carts") for s in (staging, dev, prod)] == [
        "shop-staging-carts",
        "shop-dev-carts",
        "shop-prod-carts",
    ]
    assert prod.tags_for("tables.carts")["Environment"] == "prod"


def test_provisioned_table() -> None:
    table = load_spec(GOOD / "provisioned_autoscaling.yaml").tables["orders"]
    assert table.billing == "provisioned" and (table.read_capacity, table.write_capacity) == (10, 5)
    assert table.auto_scaling is not None and table.auto_scaling.max_capacity == 200
    assert table.indexes["by_state"].non_key_attributes == ["total"]
    assert table.sort_key is not None and table.sort_key.type == "number"
