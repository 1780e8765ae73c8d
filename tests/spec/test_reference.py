"""The reference spec describes every element of the seed architecture, with the seed's concrete values."""

from __future__ import annotations

import pytest

from archkit.spec import ArchSpec, dump_spec, load_environments, load_spec, parse_spec_text

from .spec_helpers import REFERENCE


@pytest.fixture(scope="module")
def ref() -> ArchSpec:
    return load_spec(REFERENCE)


@pytest.fixture(scope="module")
def dev() -> ArchSpec:
    return load_spec(REFERENCE, env="dev")


def test_every_environment_is_valid_and_prod_is_the_default() -> None:
    specs = load_environments(REFERENCE)
    assert list(specs) == ["prod", "dev"]
    assert specs["prod"] == load_spec(REFERENCE)


def test_overview_network(ref: ArchSpec) -> None:
    net = ref.network
    assert [(s.az, s.cidr) for s in net.public_subnets] == [
        ("us-east-1a", "10.0.0.0/24"),
        ("us-east-1b", "10.0.1.0/24"),
        ("us-east-1c", "10.0.2.0/24"),
    ]
    assert [s.az for s in net.private_subnets] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert net.nat_gateways == 3 and net.high_availability is True
    # the optional ALB, bastion and RDS boxes are switched on in prod
    assert (net.alb.enabled, net.bastion.enabled, ref.rds.enabled) == (True, True, True)
    # internal: only the API's VPC link reaches it (issue 14)
    assert (net.alb.internet_facing, net.alb.security_group, net.alb.deletion_protection) == (
        False,
        "alb",
        True,
    )
    assert (net.alb.listener.protocol, net.alb.listener.port, net.alb.listener.certificate_name) == (
        "HTTPS",
        443,
        "alb",
    )
    assert {k: t.paths for k, t in net.alb.targets.items()} == {"get_items": ["/api/items", "/api/items/*"]}
    assert (net.bastion.instance_type, net.bastion.security_group, net.bastion.database_access) == (
        "t4g.nano",
        "bastion",
        True,
    )
    assert ref.rds.engine == "postgres" and ref.rds.credentials_secret == "db_password"
    assert ref.rds.engine_version == "16.10" and ref.rds.effective_port() == 5432
    assert [k for k, f in ref.functions.items() if f.database] == ["auth"]
    assert "vpc_link" in net.security_groups
    assert [(e.service, e.type) for e in net.endpoints] == [
        ("dynamodb", "gateway"),
        ("s3", "gateway"),
        ("ssm", "interface"),
        ("secretsmanager", "interface"),
    ]


def test_overview_edge(ref: ArchSpec) -> None:
    edge = ref.edge
    assert edge.dns.enabled and edge.dns.domain_name == "shop.example.com"
    assert edge.cdn.enabled and edge.cdn.static_bucket == "assets" and edge.cdn.static_prefix == "static/"
    assert edge.cdn.api_path_pattern == "/api/*" and edge.cdn.compression is True
    assert edge.cdn.origin_access == "origin_access_control"
    waf = edge.waf
    assert waf.enabled and waf.rate_limit == 2000
    assert (waf.sql_injection, waf.xss, waf.bot_control) == (True, True, True)
    assert waf.geo_block == ["KP", "IR", "SY", "CU"]
    assert edge.shield == "standard"


def test_lambda_view(ref: ArchSpec) -> None:
    assert {k: v.description for k, v in ref.layers.items()} == {
        "common": "Common libraries (validation, logging, masking helpers)",
        "aws_sdk": "AWS SDK (latest boto3)",
        "db_drivers": "Database drivers (PostgreSQL/MySQL)",
    }
    api_env = {"API_ENDPOINT", "TABLE_NAME", "ENVIRONMENT"}
    for name in ("get_user", "add_user", "get_user_id", "get_items", "add_item", "auth"):
        assert set(ref.functions[name].environment) == api_env
    assert ref.functions["get_user"].environment["TABLE_NAME"] == "${tables.main.name}"
    assert set(ref.secrets) == {"db_password", "api_keys", "jwt_secret", "origin_verify"}
    assert ref.functions["auth"].secrets == ["jwt_secret", "db_password"]
    assert ref.functions["get_items"].secrets == ["api_keys"]
    assert ref.functions["get_user"].tiers == ["handler", "business_logic", "data_access"]
    assert ref.functions["authorizer"].tiers == ["handler", "business_logic"]
    assert all(fn.architecture == "arm64" for fn in ref.functions.values())
    assert ref.functions["get_user"].reserved_concurrency == 50


def test_dynamodb_view(ref: ArchSpec) -> None:
    main = ref.tables["main"]
    assert (main.partition_key.name, main.sort_key and main.sort_key.name) == ("user_id", "item_id")
    gsi = main.indexes["by_status"]
    assert (gsi.partition_key.name, gsi.sort_key and gsi.sort_key.name) == ("status", "created_at")
    assert main.item_attributes == {
        "name": "string",
        "status": "string",
        "data": "map",
        "created_at": "string",
        "updated_at": "string",
    }
    assert main.billing == "on_demand" and main.point_in_time_recovery is True
    assert main.stream is not None and main.stream.consumer == "process_stream"
    assert main.stream.view == "new_and_old_images"
    assert main.encryption == "customer_managed" and main.kms_key == "data"
    assert main.replicas == ["us-west-2"]


def test_s3_view(ref: ArchSpec) -> None:
    assets = ref.buckets["assets"]
    assert ref.name_of("assets") == "shop-prod-assets"
    assert [p.path for p in assets.prefixes] == [
        "static/",
        "static/css/",
        "static/js/",
        "static/images/",
        "uploads/",
        "uploads/{user-id}/images/",
        "uploads/{user-id}/documents/",
        "uploads/temp/",
        "backups/",
        "backups/database/",
        "backups/config/",
    ]
    assert [(p.principal, p.access, p.prefix) for p in assets.policies] == [
        ("cloudfront", "read", "static/"),
        ("functions.get_user_id", "read_write", "uploads/"),
        ("functions.add_item", "read_write", "uploads/"),
        ("roles.backup", "write", "backups/"),
    ]
    glacier = assets.lifecycle[0]
    assert glacier.prefix == "backups/"
    assert [(t.storage_class, t.days) for t in glacier.transitions] == [("GLACIER", 90)]
    assert assets.intelligent_tiering.enabled is True


def test_api_view(ref: ArchSpec) -> None:
    routes = {(path, verb): m.function for path, verb, m in ref.api.methods()}
    assert routes == {
        ("/api/users", "GET"): "get_user",
        ("/api/users", "POST"): "add_user",
        ("/api/users/{id}", "GET"): "get_user_id",
        ("/api/users/{id}", "PUT"): "get_user_id",
        ("/api/users/{id}", "DELETE"): "get_user_id",
        ("/api/items", "GET"): "get_items",
        ("/api/items", "POST"): "add_item",
        ("/api/auth/login", "POST"): "auth",
        ("/api/auth/refresh", "POST"): "auth",
        ("/api/health", "GET"): None,  # a mock method: API Gateway answers it
    }
    api = ref.api
    assert (api.throttling.rate, api.throttling.burst) == (10000, 5000)
    assert api.authorizers["jwt"].function == "authorizer" and api.authorizers["jwt"].scheme == "jwt"
    assert api.api_keys == ["partner"] and api.usage_plans["partners"].api_keys == ["partner"]
    assert api.cors.enabled and api.cors.allow_origins == ["https://shop.example.com"]
    assert api.logging.access_logs and api.logging.execution_level == "INFO"
    refresh = api.routes["/api/auth/refresh"]["POST"]
    assert refresh.integration == "mapped" and "application/json" in refresh.response_templates
    assert api.routes["/api/users/{id}"]["GET"].response_models == {"200": "user"}
    assert api.routes["/api/users"]["POST"].effective_validation() == "all"
    assert api.authorizer_of(api.routes["/api/auth/login"]["POST"]) is None
    assert api.authorizer_of(api.routes["/api/users"]["GET"]) == "jwt"
    assert (api.vpc_link.enabled, api.vpc_link.security_group) == (True, "vpc_link")
    items = api.routes["/api/items"]
    assert (items["GET"].integration, items["GET"].function) == ("vpc_link", "get_items")
    assert items["POST"].integration == "proxy"


def test_security_and_cost(ref: ArchSpec) -> None:
    app, data = ref.security.application, ref.security.data
    assert app.least_privilege_iam and app.vpc_security_groups and app.dependency_scanning
    assert data.encryption_at_rest == "AES256" and data.tls_minimum == "1.2"
    assert data.data_masking == ["email", "password", "refresh_token"]
    assert ref.security.kms_keys["data"].rotation is True
    assert ref.security.roles["backup"].assumed_by == "backup.amazonaws.com"
    assert ref.cost.budgets["monthly"].amount == 1000
    assert ref.cost.anomaly_detection.enabled and ref.cost.cost_explorer
    assert ref.cost.allocation_tags == ["Project", "Environment", "Owner"]
    assert ref.tags_for("tables.main") == {
        "Project": "shop",
        "Environment": "prod",
        "Owner": "platform-team",
        "CostCenter": "4711",
        "archkit:id": "tables.main",
    }


def test_dev_overrides(ref: ArchSpec, dev: ArchSpec) -> None:
    assert dev.environment == "dev" and dev.name_of("assets") == "shop-dev-assets"
    assert dev.network.nat_gateways == 1 and dev.network.high_availability is False
    assert {fn.memory for fn in dev.functions.values()} == {256}
    assert {fn.reserved_concurrency for fn in dev.functions.values()} == {None}
    assert dev.tables["main"].deletion_protection is False and dev.tables["main"].replicas == []
    assert dev.rds.deletion_protection is True  # dev keeps it: without it the environment did not synthesize
    assert dev.cost.budgets["monthly"].amount == 200
    # what dev does not override is prod's
    assert dev.cost.budgets["monthly"].emails == ref.cost.budgets["monthly"].emails
    assert dev.tags_for("functions.auth")["Environment"] == "dev"


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_round_trip(env: str) -> None:
    spec = load_spec(REFERENCE, env)
    again = parse_spec_text(dump_spec(spec), "dumped.yaml", env)
    assert again == spec
    assert dump_spec(again) == dump_spec(spec)
