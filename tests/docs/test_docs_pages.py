"""The architecture pages carry every value of the spec they document, and follow it when it changes."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from docs_helpers import REFERENCE_SPEC, SPEC_SOURCE, has_row, rows

from archkit.cli import app
from archkit.docs import build_docs
from archkit.docs.markdown import GENERATED_MARKER, code
from archkit.docs.views import VIEW_PAGES
from archkit.spec import spec_from_dict
from archkit.spec.inventory import resources
from archkit.spec.naming import kms_alias, physical_name

# One xdist worker builds the shared fresh generation and site for all of these.
pytestmark = pytest.mark.xdist_group("docs-site")


def test_every_view_has_its_page(arch_pages):
    expected = {
        "index.md",
        "network.md",
        "lambda.md",
        "dynamodb.md",
        "s3.md",
        "api.md",
        "security.md",
        "cost.md",
    }
    assert set(arch_pages) == expected
    assert {p.file for p in VIEW_PAGES} == expected


def test_pages_are_marked_generated_and_name_their_source(arch_pages):
    for name, page in arch_pages.items():
        assert page.startswith(f"{GENERATED_MARKER} from {SPEC_SOURCE} (environment prod)"), name
        assert '!!! info "Generated page"' in page, name
        assert "`archkit docs`" in page, name


FIGURE = r'<figure class="archkit-diagram" id="diagram-([\w-]+)" markdown>'


def test_view_pages_embed_their_diagrams_with_caption_legend_and_full_size_link(fresh_docs, arch_pages):
    for page in VIEW_PAGES:
        shown = re.findall(FIGURE, arch_pages[page.file])
        assert shown, page.file
        for name in shown:
            assert f"diagrams/{name}.svg" in fresh_docs.architecture, (page.file, name)
            assert f"[Open full size](diagrams/{name}.svg)" in arch_pages[page.file], (page.file, name)
    # A split view shows every one of its diagrams, each with its caption.
    api = arch_pages["api.md"]
    assert "[![API Gateway routes](diagrams/api.svg)](diagrams/api.svg" in api
    assert "[![API Gateway features](diagrams/api-features.svg)](diagrams/api-features.svg" in api
    assert "**API Gateway routes.** The REST API's route tree" in api
    security = re.findall(r'id="diagram-([\w-]+)"', arch_pages["security.md"])
    assert security == ["security-edge", "security-api", "security-application", "security-data"]
    # The legend names what each edge colour means.
    line = '<span class="archkit-legend__line" style="border-top-color: #E37400; border-top-style: solid">'
    assert line + "</span>invokes a Lambda function</span>" in arch_pages["index.md"]


def test_inventory_lists_every_resource(reference_spec, arch_pages):
    index = arch_pages["index.md"]
    inventory = resources(reference_spec)
    assert len(inventory) > 40
    for res in inventory:
        target = [r for r in rows(index) if r[1:] == [code(res.type), code(res.name)]]
        assert target, res
        assert code(res.path) in target[0][0], res


def test_every_route_is_on_the_api_page(reference_spec, arch_pages):
    api = arch_pages["api.md"]
    for path, verb, method in reference_spec.api.methods():
        auth = reference_spec.api.authorizer_of(method)
        function = code(method.function) if method.function else "none (answers 200)"  # the mock health check
        assert has_row(api, code(path), code(verb), function, code(auth) if auth else "none (public)"), (
            path,
            verb,
        )
    # Spot checks against the seed: public login, JWT-protected users, API keys on items.
    assert has_row(api, "`/api/auth/login`", "`POST`", "`auth`", "none (public)")
    assert has_row(api, "`/api/users/{id}`", "`DELETE`", "`get_user_id`", "`jwt`")
    assert has_row(api, "`/api/items`", "`GET`", "`get_items`", "`jwt`", "yes")
    assert has_row(api, "`/api/health`", "`GET`", "none (answers 200)", "none (public)", "no", "`params`")
    assert "Mock answer of `GET` `/api/health` (no function): status 200, `application/json`" in api


def test_every_table_index_and_feature_is_on_the_dynamodb_page(reference_spec, arch_pages):
    page = arch_pages["dynamodb.md"]
    for key, table in reference_spec.tables.items():
        assert f"## Table `{key}` {{#tables.{key}}}" in page
        assert has_row(page, "Name", code(physical_name(reference_spec, key)))
        assert has_row(
            page, "Partition key", f"{code(table.partition_key.name)} ({table.partition_key.type})"
        )
        for name, index in table.indexes.items():
            assert has_row(page, code(name), f"{code(index.partition_key.name)} ({index.partition_key.type})")
    assert has_row(page, "Point-in-time recovery", "yes")
    assert has_row(
        page, "Encryption at rest", f"customer-managed KMS key {code(kms_alias(reference_spec, 'data'))}"
    )
    assert has_row(page, "Global table replicas", "`us-west-2`")
    assert "`new_and_old_images` → function `process_stream`" in page


def test_every_bucket_prefix_policy_and_rule_is_on_the_s3_page(reference_spec, arch_pages):
    page = arch_pages["s3.md"]
    for key, bucket in reference_spec.buckets.items():
        assert f"## Bucket `{key}` {{#buckets.{key}}}" in page
        for prefix in bucket.prefixes:
            assert has_row(page, code(prefix.path), prefix.description), prefix.path
        for policy in bucket.policies:
            assert has_row(
                page, code(policy.sid), code(policy.principal), code(policy.access), code(policy.prefix)
            )
        for rule in bucket.lifecycle:
            assert has_row(page, code(rule.id), code(rule.prefix)), rule.id
    assert has_row(page, "`backups-to-glacier`", "`backups/`", "GLACIER after 90 days")
    assert "shop-prod-assets/" in page  # the prefix tree is drawn from the physical name


def test_every_function_layer_and_grant_is_on_the_lambda_page(reference_spec, arch_pages):
    page = arch_pages["lambda.md"]
    for key, fn in reference_spec.functions.items():
        assert has_row(page, code(key), code(physical_name(reference_spec, key)), code(fn.handler)), key
        for target, grant in fn.grants.items():
            assert has_row(page, code(key), code(target), code(grant.access)), (key, target)
        for secret in fn.secrets:
            assert has_row(page, code(key), code(secret), code(f"{secret.upper()}_SECRET_ARN"))
    for key in reference_spec.layers:
        assert has_row(page, code(key), code(physical_name(reference_spec, key)))


def test_security_page_has_the_four_layers_and_their_values(reference_spec, arch_pages):
    page = arch_pages["security.md"]
    for title in (
        "## 1. Edge security",
        "## 2. API security",
        "## 3. Application security",
        "## 4. Data security",
    ):
        assert title in page
    assert has_row(page, "Geo-blocking", "`KP`, `IR`, `SY`, `CU`")
    assert has_row(page, "Rate limiting", "2000 requests per 5 minutes per IP")
    assert has_row(page, "Data masking in logs", "`email`, `password`, `refresh_token`")
    for key in reference_spec.secrets:
        assert has_row(page, code(key), code(physical_name(reference_spec, key)))


def test_security_page_links_the_rules_of_each_layer(arch_pages):
    from archkit.verify.rules.catalogue import catalogue

    page = arch_pages["security.md"]
    layered = [m for m in catalogue() if m.layer in ("edge", "api", "application", "data")]
    assert layered
    for meta in layered:
        assert f"[{code(meta.id)}](../reference/rules.md#{meta.id.lower()})" in page, meta.id


def test_network_and_cost_pages_link_their_rules(arch_pages):
    from archkit.verify.rules.catalogue import catalogue

    for layer, page in (("network", "network.md"), ("cost", "cost.md")):
        metas = [m for m in catalogue() if m.layer == layer]
        assert metas, layer
        for meta in metas:
            assert has_row(arch_pages[page], f"[{code(meta.id)}](../reference/rules.md#{meta.id.lower()})"), (
                meta.id
            )


def test_cost_page_has_measures_and_tags(reference_spec, arch_pages):
    page = arch_pages["cost.md"]
    for key, fn in reference_spec.functions.items():
        assert has_row(page, code(key), code(fn.architecture), f"{fn.memory} MB"), key
    assert has_row(page, "`monthly`", "1000 USD", "monthly", "80% actual, 100% forecasted")
    for tag, value in (
        ("Project", "shop"),
        ("Environment", "prod"),
        ("Owner", "platform-team"),
        ("CostCenter", "4711"),
    ):
        assert has_row(page, code(tag), code(value))
    assert has_row(page, "Gateway VPC endpoints (free)", "`dynamodb`, `s3`")


def test_network_page_has_subnets_endpoints_and_groups(reference_spec, arch_pages):
    page = arch_pages["network.md"]
    for i, subnet in enumerate(reference_spec.network.private_subnets):
        assert has_row(
            page, code(f"network.private_subnets.{i}"), "private", code(subnet.az), code(subnet.cidr)
        )
    for ep in reference_spec.network.endpoints:
        assert has_row(page, code(ep.service), ep.type)
    assert has_row(page, "`database`", "ingress", "tcp", "5432", "security group `lambda`")


def _modified_reference() -> dict:
    doc = yaml.safe_load(REFERENCE_SPEC.read_text())
    doc = copy.deepcopy(doc)
    doc["api"]["routes"]["/api/orders"] = {"POST": {"function": "add_item", "authorizer": "none"}}
    del doc["api"]["routes"]["/api/auth/refresh"]
    table = doc["tables"]["main"]
    table["indexes"]["by_owner"] = table["indexes"].pop("by_status")
    doc["buckets"]["assets"]["prefixes"].append({"path": "exports/", "description": "Nightly CSV exports"})
    doc["buckets"]["assets"]["lifecycle"][0]["transitions"][0]["days"] = 30
    doc["functions"]["get_user"]["memory"] = 1769
    doc["edge"]["waf"]["geo_block"] = ["KP"]
    doc["project"] = "store"
    return doc


@pytest.fixture(scope="module")
def modified_pages():
    spec = spec_from_dict(_modified_reference())
    build = build_docs(spec, source="modified.yaml", diagrams=False, reference=False)
    return {k: v.decode() for k, v in build.architecture.items()}


def test_changed_spec_values_show_up_on_the_regenerated_pages(modified_pages):
    api, ddb, s3 = modified_pages["api.md"], modified_pages["dynamodb.md"], modified_pages["s3.md"]
    assert has_row(api, "`/api/orders`", "`POST`", "`add_item`", "none (public)")
    assert "`/api/auth/refresh`" not in api
    assert has_row(ddb, "`by_owner`", "`status` (string)")
    assert "by_status" not in ddb
    assert has_row(s3, "`exports/`", "Nightly CSV exports")
    assert has_row(s3, "`backups-to-glacier`", "`backups/`", "GLACIER after 30 days")
    assert has_row(modified_pages["lambda.md"], "`get_user`", "`store-prod-get-user`")
    assert "| `get_user` | `arm64` | 1769 MB |" in modified_pages["cost.md"]
    assert "| Geo-blocking | `KP` |" in modified_pages["security.md"]
    assert "shop-prod" not in "".join(modified_pages.values())
    assert all(page.startswith(f"{GENERATED_MARKER} from modified.yaml") for page in modified_pages.values())


def test_another_environment_gets_its_own_names(reference_spec):
    from archkit.spec import load_spec

    dev = load_spec(REFERENCE_SPEC, env="dev")
    pages = {
        k: v.decode()
        for k, v in build_docs(dev, source=SPEC_SOURCE, diagrams=False, reference=False).architecture.items()
    }
    assert pages["index.md"].startswith(f"{GENERATED_MARKER} from {SPEC_SOURCE} (environment dev)")
    assert has_row(pages["dynamodb.md"], "Global table replicas", "none (single region)")
    assert has_row(pages["cost.md"], "`monthly`", "200 USD")
    assert "| [`network.nat_gateways.0`](network.md) |" in pages["index.md"]
    assert "`network.nat_gateways.1`" not in pages["index.md"]


def test_generation_is_deterministic(reference_spec, fresh_docs):
    again = build_docs(reference_spec, source=SPEC_SOURCE, cli_app=app)
    assert again.architecture.keys() == fresh_docs.architecture.keys()
    for name, data in fresh_docs.architecture.items():
        assert again.architecture[name] == data, name
    assert again.reference == fresh_docs.reference
