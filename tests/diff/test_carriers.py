"""The spec attribute → template property mapping (archkit.diff.carriers) checked against real synthesis:
each carrier's attribute is mutated in the reference spec and the named property of the named resource is
the one that changes; and every property archkit emits has an entry in the create-only data.

Synthesis is in-process without cdk-nag (the templates are the same; nag only checks them): the reference
once per session, then one synthesis per batch of mutations, a batch touching each resource at most once.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from archkit.diff.carriers import CARRIERS, FIXED, NAME_PROPERTY, Carrier
from archkit.diff.consequences import DATA_OF
from archkit.diff.create_only import create_only
from archkit.spec import ArchSpec, parse_spec_text
from archkit.spec.inventory import resources

from .mutations import REFERENCE

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("diff")]

Templates = dict[tuple[str, str], dict[str, Any]]
"""Properties of each template resource archkit tags, by (type, spec path)."""


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[leaf] = value

    return edit


def _mysql(data: dict[str, Any]) -> None:
    data["rds"].update(engine="mysql", engine_version="8.0.39")  # a version the engine has


MUTATIONS: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "tables.*.partition_key.name": ("tables.main", _set("tables.main.partition_key.name", "customer_id")),
    "tables.*.sort_key.name": ("tables.main", _set("tables.main.sort_key.name", "sku")),
    "tables.*.sort_key": ("tables.main", _set("tables.main.sort_key", None)),
    "rds.engine": ("rds", _mysql),
    "rds.database_name": ("rds", _set("rds.database_name", "orders")),
    "rds.master_username": ("rds", _set("rds.master_username", "shopadmin")),
    "rds.kms_key": ("rds", _set("rds.kms_key", None)),
    "rds.multi_az": ("rds", _set("rds.multi_az", False)),
    "rds.storage_type": ("rds", _set("rds.storage_type", "gp2")),
    "rds.backup_retention_days": ("rds", _set("rds.backup_retention_days", 14)),
    "rds.auto_minor_version_upgrade": ("rds", _set("rds.auto_minor_version_upgrade", False)),
    "rds.require_tls": ("rds", _set("rds.require_tls", False)),
}
"""One concrete mutation of the reference per carrier: the spec resource it touches and the edit."""


def _resource_of(carrier: Carrier) -> str:
    """The spec resource a carrier's mutation touches (a carrier without one fails the first test)."""
    return MUTATIONS.get(carrier.attribute, (carrier.attribute, None))[0]


def _batches() -> list[list[Carrier]]:
    """Carriers in as few batches as possible, no two in a batch on the same spec resource."""
    batches: list[list[Carrier]] = []
    for carrier in CARRIERS:
        free = next((b for b in batches if _resource_of(carrier) not in {_resource_of(c) for c in b}), None)
        if free is None:
            batches.append(free := [])
        free.append(carrier)
    return batches


def _spec(data: dict[str, Any]) -> ArchSpec:
    return parse_spec_text(yaml.safe_dump(data, sort_keys=False), "mutated.yaml", None)


def _synth(spec: ArchSpec) -> Templates:
    from archkit.cdk.app import build
    from archkit.diff.templates import read_assembly

    with tempfile.TemporaryDirectory(prefix="archkit-carriers-") as out:
        build(spec, spec_dir=REFERENCE.parent, outdir=out, nag=False).app.synth()
        assembly = read_assembly(Path(out), "")
    return {(r.type, r.path): r.properties for r in assembly.values() if r.path is not None}


@pytest.fixture(scope="session")
def reference_data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def reference_templates(reference_data: dict[str, Any]) -> Templates:
    return _synth(_spec(reference_data))


def test_every_carrier_has_a_mutation_and_a_create_only_property() -> None:
    assert sorted(MUTATIONS) == sorted(c.attribute for c in CARRIERS)
    for carrier in CARRIERS:
        for rtype in carrier.resource_types:
            rules = create_only(rtype)
            assert rules is not None, rtype
            assert carrier.cfn_property in rules.create_only + rules.conditional, (rtype, carrier)


@pytest.mark.parametrize("batch", _batches(), ids=lambda b: "+".join(c.attribute for c in b))
def test_mutating_the_attribute_changes_the_named_property(
    batch: list[Carrier], reference_data: dict[str, Any], reference_templates: Templates
) -> None:
    data = copy.deepcopy(reference_data)
    for carrier in batch:
        assert carrier.attribute in MUTATIONS, f"no mutation for the carrier of {carrier.attribute}"
        MUTATIONS[carrier.attribute][1](data)
    mutated = _synth(_spec(data))
    for carrier in batch:
        path = _resource_of(carrier)
        (key,) = [k for k in reference_templates if k[1] == path and k[0] in carrier.resource_types]
        before = reference_templates[key].get(carrier.cfn_property)
        after = mutated[key].get(carrier.cfn_property)
        assert before is not None, f"{key} does not set {carrier.cfn_property}"
        assert before != after, f"{carrier.attribute} does not reach {key[0]}.{carrier.cfn_property}"


def test_physical_names_are_the_name_properties(
    reference_data: dict[str, Any], reference_templates: Templates
) -> None:
    """The inventory's name of every resource of a named type is its name property, before and after the
    project (and so every physical name) changes."""
    data = copy.deepcopy(reference_data)
    data["project"] = "store"
    renamed = _synth(_spec(data))
    for spec, templates in ((_spec(reference_data), reference_templates), (_spec(data), renamed)):
        named = [r for r in resources(spec) if r.type in NAME_PROPERTY and (r.type, r.path) in templates]
        # the reference's one table has replicas: a GlobalTable (a Table names itself the same way)
        assert {r.type for r in named} == set(NAME_PROPERTY) - {"AWS::DynamoDB::Table"}
        for r in named:
            assert templates[(r.type, r.path)][NAME_PROPERTY[r.type]] == r.name, r.path
    assert renamed[("AWS::S3::Bucket", "buckets.logs")]["BucketName"] == "store-prod-logs"


def test_every_create_only_property_of_a_stateful_resource_is_carried_or_fixed(
    reference_templates: Templates,
) -> None:
    carried = {(t, c.cfn_property) for c in CARRIERS for t in c.resource_types}
    carried |= set(NAME_PROPERTY.items()) | set(FIXED)
    uncovered = set()
    for (rtype, _path), props in reference_templates.items():
        rules = create_only(rtype)
        if rtype not in DATA_OF or rules is None:
            continue
        uncovered |= {(rtype, p) for p in rules.create_only + rules.conditional if p in props} - carried
    assert sorted(uncovered) == []


def test_every_property_archkit_emits_has_an_entry(reference_templates: Templates) -> None:
    """Per resource type, the properties archkit sets are all in the create-only data's schema copy: each
    is create-only, conditionally create-only, or updates in place — none is unknown."""
    emitted: dict[str, set[str]] = {}
    for (rtype, _path), props in reference_templates.items():
        emitted.setdefault(rtype, set()).update(props)
    assert "AWS::DynamoDB::GlobalTable" in emitted and "KeySchema" in emitted["AWS::DynamoDB::GlobalTable"]
    unknown = {}
    for rtype, props in sorted(emitted.items()):
        rules = create_only(rtype)
        missing = sorted(props) if rules is None else sorted(props - rules.properties)
        if missing:
            unknown[rtype] = missing
    assert unknown == {}
