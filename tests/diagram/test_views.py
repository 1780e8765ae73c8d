"""The seven view graphs built from the reference spec: node ids, nesting, edges and labels."""

from __future__ import annotations

import pytest
from diagram_helpers import ancestry, edges_of

from archkit.diagram import VIEW_NAMES, build_views
from archkit.diagram.model import OFF_SUFFIX, ViewBuilder
from archkit.diagram.views import family


def test_views_are_the_seeds_seven_in_order_split_where_one_diagram_would_not_read(views):
    assert list(views) == [
        "overview",
        "lambda",
        "lambda-functions",
        "dynamodb",
        "s3",
        "api",
        "api-features",
        "security-edge",
        "security-api",
        "security-application",
        "security-data",
        "cost",
    ]
    assert tuple(dict.fromkeys(family(name) for name in views)) == VIEW_NAMES


def test_unknown_view_name_is_rejected(reference_spec):
    with pytest.raises(ValueError, match="unknown view 'network'"):
        build_views(reference_spec, ["network"])


def test_overview_edge_chain_from_internet_to_origins(views):
    v = views["overview"]
    edges = edges_of(v)
    assert ("internet", "edge.dns", "DNS lookup") in edges
    assert ("edge.dns", "edge.cdn", "alias") in edges
    assert ("edge.waf", "edge.cdn", "filters") in edges
    assert ("edge.cdn", "buckets.assets", "origin static/") in edges
    assert ("edge.cdn", "api", "origin /api/*") in edges
    assert ("edge.cdn", "buckets.logs", "access logs") in edges
    assert v.node("buckets.assets").label == "S3 static assets"
    assert v.node("edge.dns").details[0] == "shop.example.com"


AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_overview_draws_tiers_across_the_azs_in_order(views):
    v = views["overview"]
    for i, az in enumerate(AZS):
        assert v.group(f"network.public_subnets.{i}").label.startswith(f"{az} · ")
        assert ancestry(v, f"network.nat_gateways.{i}") == [
            f"network.public_subnets.{i}",
            "network#public",
            "network.vpc",
        ]
        assert ancestry(v, f"network.private_subnets.{i}.functions") == [
            f"network.private_subnets.{i}",
            "network#lambda_tier",
            "network.vpc",
        ]
        # Each AZ's functions leave through the NAT gateway of their own AZ.
        assert (f"network.private_subnets.{i}.functions", f"network.nat_gateways.{i}", "egress") in edges_of(
            v
        )
    assert v.group("network.public_subnets.1").label == "us-east-1b · 10.0.1.0/24"
    assert v.group("network.private_subnets.2").label == "us-east-1c · 10.0.12.0/24"
    assert v.node("network.private_subnets.0.functions").ref == "functions"
    # The rows the renderers keep: NAT gateways and the Lambda tier in AZ order a, b, c.
    assert ("network.nat_gateways.0", "network.nat_gateways.1", "network.nat_gateways.2") in v.rows
    # The private bastion hangs below the last AZ's functions in the tier's band, its subnet named.
    assert ancestry(v, "network.bastion") == ["network#lambda_tier", "network.vpc"]
    assert v.node("network.bastion").details[-1] == "us-east-1a · 10.0.10.0/24"
    assert ("network.private_subnets.2.functions", "network.bastion", "") in edges_of(v)
    assert tuple(f"network.private_subnets.{i}.functions" for i in range(3)) in v.rows


def test_overview_invokes_the_lambda_tier_once(views):
    v = views["overview"]
    invokes = [(e.source, e.target) for e in v.edges if e.kind == "invokes"]
    assert invokes == [("api", "network#lambda_tier"), ("network.alb", "network#lambda_tier")]
    # The edge targets a frame whose members are the Lambda nodes of every AZ.
    tier = [n.id for n in v.nodes if "network#lambda_tier" in ancestry(v, n.id)]
    functions = [f"network.private_subnets.{i}.functions" for i in range(3)]
    # The internal load balancer and the private bastion sit in the tier's band beside the AZs' functions.
    assert sorted(tier) == sorted([*functions, "network.alb", "network.bastion"])
    assert ancestry(v, "network.alb") == ["network#lambda_tier", "network.vpc"]


def test_overview_db_subnet_group_spans_the_azs_with_primary_and_standby(views, reference_spec):
    v = views["overview"]
    assert ancestry(v, "rds") == ["rds.subnet_group", "network.vpc"]
    assert ancestry(v, "rds#standby") == ["rds.subnet_group", "network.vpc"]
    assert v.node("rds").details[-1] == "us-east-1a" and v.node("rds#standby").details[-1] == "us-east-1b"
    cidrs = [s.cidr for s in reference_spec.network.private_subnets]
    assert v.group("rds.subnet_group").label == f"DB subnet group · {', '.join(cidrs)}"
    # The group is not inside any AZ's subnet: it spans them.
    assert not any(g.startswith("network.private_subnets") for g in ancestry(v, "rds"))
    assert ("rds", "rds#standby") in v.rows
    assert ("network#lambda_tier", "rds", "SQL · auth") in edges_of(v)


def test_overview_endpoints_and_tables(views):
    v = views["overview"]
    assert [n.id for n in v.nodes if n.group == "network.endpoints"] == [
        "network.endpoints.dynamodb",
        "network.endpoints.s3",
        "network.endpoints.ssm",
        "network.endpoints.secretsmanager",
    ]
    # Data reaches its store through the store's gateway endpoint, never straight from the Lambda tier.
    assert not any(
        e.source == "network#lambda_tier" and e.target.startswith(("tables.", "buckets.")) for e in v.edges
    )
    assert ancestry(v, "network.endpoints.ssm") == ["network.endpoints", "network.vpc"]
    assert ("network.endpoints.dynamodb", "tables.main", "reads/writes") in edges_of(v)
    assert ("network.endpoints.s3", "buckets.assets", "reads/writes") in edges_of(v)
    assert ("network#lambda_tier", "network.endpoints", "AWS APIs") in edges_of(v)
    assert v.node("tables.main").group is None


def test_optional_elements_off_are_drawn_dashed_with_suffix(off_views):
    v = off_views["overview"]
    for nid, label in (("network.alb", "ALB"), ("network.bastion", "Bastion host"), ("rds", "RDS")):
        node = v.node(nid)
        assert node.off is True
        assert node.label == f"{label} {OFF_SUFFIX}"
    # drawn where the spec places it, even when off (this variant's bastion keeps the default public subnet)
    assert ancestry(v, "network.bastion")[0] == "network.public_subnets.0"
    assert ancestry(v, "rds") == ["network.vpc"]
    assert off_views["api-features"].node("api.vpc_link").label == f"VPC link {OFF_SUFFIX}"
    assert not any(e.target == "rds" and e.kind != "layout" for e in v.edges)


def test_optional_elements_off_are_not_drawn_unless_asked(all_off_spec):
    spec = all_off_spec.model_copy(
        update={"diagrams": all_off_spec.diagrams.model_copy(update={"show_disabled": False})}
    )
    views = build_views(spec, ["overview", "api"])
    drawn = {n.id for view in views.values() for n in view.nodes}
    assert drawn & {"network.alb", "network.bastion", "rds", "api.vpc_link"} == set()
    assert not any(n.off and n.kind != "feature" for view in views.values() for n in view.nodes)
    assert {"api", "functions.get_items", "network.nat_gateways.0"} <= drawn


def test_optional_elements_on_are_drawn_and_connected(reference_spec):
    vs = build_views(reference_spec, ["overview", "api"])
    v = vs["overview"]
    assert v.node("network.alb").off is False and v.node("network.alb").label == "Application Load Balancer"
    assert v.node("network.bastion").label == "Bastion host"
    assert v.node("rds").label == "RDS postgres primary" and v.node("rds#standby").ref == "rds"
    assert ("api", "network.alb", "VPC link") in edges_of(v)
    assert any(e.source == "network#lambda_tier" and e.target == "rds" for e in v.edges)
    assert vs["api-features"].node("api.vpc_link").label == "VPC link for private APIs"


def test_lambda_view_is_one_functions_anatomy(views):
    v = views["lambda"]
    # auth uses the database, so it is the function drawn.
    assert v.title == "Lambda Function Architecture · auth"
    tiers = ["functions.auth", "functions.auth#business_logic", "functions.auth#data_access"]
    assert [n.id for n in v.nodes if n.group == "function#auth" and n.id in tiers] == tiers
    assert ("functions.auth", "functions.auth#business_logic", "calls") in edges_of(v)
    assert ("functions.auth#business_logic", "functions.auth#data_access", "calls") in edges_of(v)
    # The seed's data access → database drivers, and the stores it reaches including RDS.
    assert ("functions.auth#data_access", "layers.db_drivers", "imports") in edges_of(v)
    assert ("functions.auth#data_access", "rds", "SQL") in edges_of(v)
    assert ("functions.auth#data_access", "tables.main", "reads") in edges_of(v)
    assert ancestry(v, "layers.aws_sdk") == ["function#auth#layers", "function#auth"]
    assert v.node("functions.auth#secrets").details == ("• JWT_SECRET_SECRET_ARN", "• DB_PASSWORD_SECRET_ARN")


def test_lambda_catalogue_lists_every_function_with_layers_and_stores(views, reference_spec):
    v = views["lambda-functions"]
    assert [n.id for n in v.nodes if n.group == "functions"] == [
        f"functions.{k}" for k in reference_spec.functions
    ]
    assert v.node("functions.auth").details == (
        "256 MB · 10 s · VPC",
        "layers: common, aws_sdk, db_drivers",
        "data: main (reads), RDS postgres",
    )
    assert [n.id for n in v.nodes if n.group == "layers"] == [
        "layers.common",
        "layers.aws_sdk",
        "layers.db_drivers",
    ]
    assert v.rows[0] == ("functions.get_user", "functions.add_user", "functions.get_user_id")


def test_dynamodb_view_keys_indexes_features(views):
    v = views["dynamodb"]
    table = v.node("tables.main")
    assert (
        "Partition key: user_id (string)" in table.details and "Sort key: item_id (string)" in table.details
    )
    gsi = v.node("tables.main.indexes.by_status")
    assert gsi.details == (
        "Partition key: status (string)",
        "Sort key: created_at (string)",
        "projection: all",
    )
    assert ("tables.main", "tables.main.indexes.by_status", "index") in edges_of(v)
    features = [n.id for n in v.nodes if n.group == "table#main#features"]
    assert features == [
        "tables.main.billing",
        "tables.main.auto_scaling",
        "tables.main.point_in_time_recovery",
        "tables.main.encryption",
        "tables.main.stream",
        "tables.main.stream_failures",
        "tables.main.replicas",
        "tables.main.ttl_attribute",
        "tables.main.deletion_protection",
    ]
    assert v.node("tables.main.billing").label == "On-demand billing"
    assert v.node("tables.main.replicas").details == ("us-east-1, us-west-2",)
    assert v.node("tables.main.encryption").details == ("customer-managed KMS key (data)",)
    assert ("tables.main.stream", "functions.process_stream", "stream") in edges_of(v)
    assert ("functions.add_user", "tables.main", "reads/writes") in edges_of(v)
    assert ("functions.get_items", "tables.main", "reads") in edges_of(v)
    assert ("tables.main.encryption", "security.kms_keys.data", "encrypts with") in edges_of(v)


def test_s3_view_prefix_tree_policies_lifecycle(views):
    v = views["s3"]
    tree = {(e.source, e.target) for e in v.edges if e.kind == "tree"}
    assert ("buckets.assets", "buckets.assets/static/") in tree
    assert ("buckets.assets/static/", "buckets.assets/static/css/") in tree
    # An implied intermediate prefix is drawn between its parent and children.
    assert ("buckets.assets/uploads/", "buckets.assets/uploads/{user-id}/") in tree
    assert ("buckets.assets/uploads/{user-id}/", "buckets.assets/uploads/{user-id}/documents/") in tree
    assert v.node("buckets.assets").label == "shop-prod-assets/"
    assert v.node("buckets.assets/static/").details == ("CloudFront origin",)
    edges = edges_of(v)
    assert ("edge.cdn", "buckets.assets/static/", "reads") in edges
    assert ("functions.get_user_id", "buckets.assets/uploads/", "reads/writes") in edges
    assert ("security.roles.backup", "buckets.assets/backups/", "writes") in edges
    assert ("buckets.assets.lifecycle.0", "buckets.assets/backups/", "lifecycle") in edges
    assert v.node("buckets.assets.lifecycle.0").details == (
        "→ Glacier Flexible",
        "Retrieval after 90 days",
        "old versions expire after",
        "365 days",
    )
    assert ("buckets.assets.intelligent_tiering", "buckets.assets/uploads/", "tiering") in edges
    assert ("buckets.assets", "buckets.logs", "access logs") in edges


def test_api_view_route_tree_to_functions(views, reference_spec):
    v, features = views["api"], views["api-features"]
    tree = {(e.source, e.target) for e in v.edges if e.kind == "tree"}
    assert ("api", "api.routes./api") in tree
    assert ("api.routes./api/users", "api.routes./api/users/{id}") in tree
    assert ("api.routes./api/users/{id}", "api.routes./api/users/{id}.DELETE") in tree
    for path, verb, method in reference_spec.api.methods():
        if method.integration == "vpc_link":
            continue  # reaches its function through the VPC link and the ALB, checked below
        if method.integration == "mock":
            continue  # answered by API Gateway, checked below
        assert (f"api.routes.{path}.{verb}", f"functions.{method.function}", "") in edges_of(v)
    # GET /api/health is a mock method: drawn without a function, its node says what it answers.
    assert not any(e.source == "api.routes./api/health.GET" and e.kind != "tree" for e in v.edges)
    assert "mock: answers 200, no function" in v.node("api.routes./api/health.GET").details
    # Methods in route order, the functions in the order the methods reach them.
    assert v.rows[0][:3] == (
        "api.routes./api/users.GET",
        "api.routes./api/users.POST",
        "api.routes./api/users/{id}.GET",
    )
    assert v.rows[1][:3] == ("functions.get_user", "functions.add_user", "functions.get_user_id")
    # GET /api/items integrates privately: method -> VPC link; the features diagram continues
    # VPC link -> ALB -> listener -> target group -> function.
    assert ("api.routes./api/items.GET", "api.vpc_link", "") in edges_of(v)
    assert {
        ("api.vpc_link", "network.alb", "HTTPS"),
        ("network.alb", "network.alb.listener", ""),
        ("network.alb.listener", "network.alb.targets.get_items", "/api/items, /api/items/*"),
        ("network.alb.targets.get_items", "functions.get_items", "invokes"),
    } <= edges_of(features)
    assert not any(
        e.source == "api.routes./api/items.GET" and e.target.startswith("functions.") for e in v.edges
    )
    assert v.node("api.routes./api").ref is None  # implied, not declared
    assert v.node("api.routes./api/users").ref == "api.routes./api/users"
    assert v.node("api.routes./api/items.POST").details == (
        "auth: jwt",
        "API key required",
        "model item (all)",
    )
    assert v.node("api.routes./api/auth/refresh.POST").details[-1] == "mapped integration"
    assert features.node("api.throttling").details == ("10,000 req/s, burst 5,000",)
    assert ("api.authorizers.jwt", "functions.authorizer", "invokes") in edges_of(features)
    assert ("api.usage_plans.partners", "api.api_keys.partner", "includes") in edges_of(features)
    assert not any(n.group == "api#features" for n in v.nodes)
    grouped = {n.id for n in features.nodes if n.group == "api#features"}
    assert {
        "api.models",
        "api.cors",
        "api#mapping",
        "api.logging",
        "api.ip_allow_list",
        "api.vpc_link",
    } <= grouped


def test_security_view_one_diagram_per_layer_tied_to_resources(views):
    layers = {name: v for name, v in views.items() if name.startswith("security-")}
    assert [v.title for v in layers.values()] == [
        "Security Architecture · 1. Edge security (CloudFront + WAF)",
        "Security Architecture · 2. API security (API Gateway)",
        "Security Architecture · 3. Application security (Lambda)",
        "Security Architecture · 4. Data security",
    ]

    def applies(name):
        return {(e.source, e.target) for e in layers[name].edges if e.kind == "applies"}

    assert ("edge.waf.sql_injection", "edge.waf") in applies("security-edge")
    assert ("edge.shield", "edge.cdn") in applies("security-edge")
    assert ("api.throttling", "api") in applies("security-api")
    assert ("security.application.vpc_security_groups", "network.security_groups.lambda") in applies(
        "security-application"
    )
    assert ("secrets", "secrets.jwt_secret") in applies("security-application")
    assert ("security.data.encryption_at_rest", "tables.main") in applies("security-data")
    assert ("security.data.backup_encryption", "buckets.assets") in applies("security-data")
    assert ("security.data.access_logging", "network.flow_logs") in applies("security-data")
    # No edge climbs from one layer into another: input validation names the API models instead.
    assert not any(e.target == "api" for e in layers["security-application"].edges)
    # The role AWS Backup assumes sits with data security, not with the application.
    assert layers["security-data"].node("security.roles.backup").group == "layer#resources"
    assert not any(n.id == "security.roles.backup" for n in layers["security-application"].nodes)
    assert layers["security-edge"].node("edge.waf.geo_block").details == ("KP, IR, SY, CU",)
    ip = layers["security-api"].node("api.ip_allow_list")
    assert (ip.off, ip.label) == (False, "IP allow list")
    assert ip.details == (
        "GET /api/items: 203.0.113.0/24, 198.51.100.0/24",
        "POST /api/items: 203.0.113.0/24, 198.51.100.0/24",
    )


def test_cost_view_measures_and_tags(views):
    v = views["cost"]
    pillars = [g.label for g in v.groups]
    assert pillars == [
        "Compute optimization",
        "Storage optimization",
        "Data transfer",
        "Monitoring",
        "Cost allocation",
    ]
    assert v.node("cost#lambda_arm64").details == ("9 of 9 functions",)
    assert v.node("cost#right_sizing").details == ("256-512 MB", "5-60 s timeout")
    assert v.node("buckets.assets.lifecycle").details == ("backups-to-glacier", "expire-temp-uploads")
    assert v.node("network.endpoints").details[0] == "gateway (free): dynamodb, s3"
    assert v.node("cost.budgets.monthly").details == ("1,000 USD monthly", "80% actual, 100% forecasted")
    assert v.node("cost.allocation_tags").details == (
        "Project=shop",
        "Environment=prod",
        "Owner=platform-team",
        "CostCenter=4711",
    )


@pytest.mark.parametrize("env", [None, "dev"])
def test_every_inventory_resource_appears_in_a_view(reference_doc, env):
    from archkit.spec import spec_from_dict
    from archkit.spec.inventory import resources

    spec = spec_from_dict(reference_doc, env)
    drawn = set().union(*(v.refs() for v in build_views(spec).values()))
    missing = [r.path for r in resources(spec) if r.path not in drawn]
    assert missing == []
    assert {"rds", "network.alb", "network.bastion"} <= drawn  # the optional boxes, on in the reference


def test_dev_environment_single_nat_routes_every_az_through_it(reference_doc):
    from archkit.spec import spec_from_dict

    v = build_views(spec_from_dict(reference_doc, "dev"), ["overview"])["overview"]
    assert [n.id for n in v.nodes if n.kind == "nat"] == ["network.nat_gateways.0"]
    for i in range(3):
        assert (f"network.private_subnets.{i}.functions", "network.nat_gateways.0", "egress") in edges_of(v)
    assert v.node("network.public_subnets.2.empty").label == "(no resources)"


def test_tiny_spec_builds_every_view(tiny_spec):
    vs = build_views(tiny_spec)
    assert vs["dynamodb"].node("tables").label == "No DynamoDB tables declared"
    assert vs["s3"].node("buckets").label == "No S3 buckets declared"
    assert vs["api"].node("api").label == "API Gateway (no routes declared)"
    assert vs["overview"].node("functions.outside_vpc").details == ("outside the VPC", "1 function")


def test_builder_rejects_duplicate_and_port_like_ids():
    b = ViewBuilder("t", "T")
    b.node("a", "A", "feature")
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        b.node("a", "A again", "feature")
    with pytest.raises(ValueError, match="must not contain ':'"):
        b.node("x:y", "port", "feature")
    b.edge("a", "nowhere")
    with pytest.raises(ValueError, match="unknown end 'nowhere'"):
        b.build()


def test_builds_are_deterministic(reference_spec, views):
    again = build_views(reference_spec)
    assert again == views
