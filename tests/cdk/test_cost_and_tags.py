"""Cost stack, cost-allocation tags on every taggable resource, and the inventory's physical names."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
COST = "shop-prod-cost"
COST_TAGS = {"Project": "shop", "Environment": "prod", "Owner": "platform-team", "CostCenter": "4711"}


def test_budget_with_notifications(assembly):
    _, budget = assembly.one(COST, "AWS::Budgets::Budget")
    props = budget["Properties"]
    assert props["Budget"] == {
        "BudgetLimit": {"Amount": 1000, "Unit": "USD"},
        "BudgetName": "shop-prod-monthly",
        "BudgetType": "COST",
        "TimeUnit": "MONTHLY",
        # Only this system's spend in this environment: both cost-allocation tags must match.
        "FilterExpression": {
            "And": [
                {"Tags": {"Key": "Project", "MatchOptions": ["EQUALS"], "Values": ["shop"]}},
                {"Tags": {"Key": "Environment", "MatchOptions": ["EQUALS"], "Values": ["prod"]}},
            ]
        },
        "Metrics": ["UnblendedCost"],
    }
    notifications = [
        (n["Notification"]["NotificationType"], n["Notification"]["Threshold"], n["Subscribers"])
        for n in props["NotificationsWithSubscribers"]
    ]
    subscriber = [{"Address": "platform-team@example.com", "SubscriptionType": "EMAIL"}]
    assert notifications == [("ACTUAL", 80, subscriber), ("FORECASTED", 100, subscriber)]
    assert {"Key": "archkit:id", "Value": "cost.budgets.monthly"} in props["ResourceTags"]
    assert assembly.regions[COST] == "us-east-1"


def test_anomaly_monitor_and_subscription(assembly):
    monitor_id, monitor = assembly.one(
        COST, "AWS::CE::AnomalyMonitor", MonitorName="shop-prod-anomaly-monitor"
    )
    assert json.loads(monitor["Properties"]["MonitorSpecification"]) == {
        "And": [
            {"Tags": {"Key": "Project", "MatchOptions": ["EQUALS"], "Values": ["shop"]}},
            {"Tags": {"Key": "Environment", "MatchOptions": ["EQUALS"], "Values": ["prod"]}},
        ]
    }
    _, sub = assembly.one(
        COST, "AWS::CE::AnomalySubscription", SubscriptionName="shop-prod-anomaly-subscription"
    )
    props = sub["Properties"]
    assert props["Frequency"] == "DAILY"
    assert props["MonitorArnList"] == [{"Fn::GetAtt": [monitor_id, "MonitorArn"]}]
    assert props["Subscribers"] == [{"Address": "platform-team@example.com", "Type": "EMAIL"}]
    assert json.loads(props["ThresholdExpression"])["Dimensions"]["Values"] == ["100"]


def _tag_dict(tags: object) -> dict[str, str] | None:
    if isinstance(tags, list) and all(isinstance(t, dict) and "Key" in t for t in tags):
        return {t["Key"]: t["Value"] for t in tags}
    if isinstance(tags, dict) and all(isinstance(v, str) for v in tags.values()):
        return dict(tags)
    return None


def test_every_tagged_resource_carries_the_cost_tags_and_a_spec_path(assembly):
    checked: set[str] = set()
    for stack, template in assembly.stacks.items():
        for key, res in template["Resources"].items():
            props = res.get("Properties", {})
            tags = _tag_dict(props.get("Tags", props.get("ResourceTags", props.get("HostedZoneTags"))))
            if tags is None:
                continue
            checked.add(res["Type"])
            for tag, value in COST_TAGS.items():
                assert tags.get(tag) == value, f"{stack}/{key} ({res['Type']}) lacks {tag}={value}"
            assert tags.get("archkit:id"), f"{stack}/{key} ({res['Type']}) has no archkit:id tag"
    expected = [
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
        "AWS::IAM::Role",
        "AWS::KMS::Key",
        "AWS::Lambda::Function",
        "AWS::Logs::LogGroup",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::SecretsManager::Secret",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Stage",
        "AWS::WAFv2::WebACL",
        "AWS::CloudFront::Distribution",
        "AWS::Route53::HostedZone",
        "AWS::CertificateManager::Certificate",
        "AWS::Budgets::Budget",
        "AWS::CE::AnomalyMonitor",
    ]
    assert set(expected) <= checked


@pytest.mark.parametrize(
    ("stack", "cfn_type", "path"),
    [
        ("shop-prod-network", "AWS::EC2::VPC", "network.vpc"),
        ("shop-prod-network", "AWS::EC2::Subnet", "network.private_subnets.1"),
        ("shop-prod-network", "AWS::EC2::NatGateway", "network.nat_gateways.2"),
        ("shop-prod-network", "AWS::EC2::SecurityGroup", "network.security_groups.lambda"),
        ("shop-prod-data", "AWS::KMS::Key", "security.kms_keys.data"),
        ("shop-prod-data", "AWS::SQS::Queue", "tables.main.stream_failures"),
        ("shop-prod-data", "AWS::IAM::Role", "functions.get_user"),
        ("shop-prod-application", "AWS::Lambda::Function", "functions.auth"),
        ("shop-prod-application", "AWS::SecretsManager::Secret", "secrets.jwt_secret"),
        ("shop-prod-application", "AWS::ApiGateway::RestApi", "api"),
        ("shop-prod-application", "AWS::ApiGateway::ApiKey", "api.api_keys.partner"),
        ("shop-prod-edge", "AWS::CloudFront::Distribution", "edge.cdn"),
        ("shop-prod-edge-global", "AWS::WAFv2::WebACL", "edge.waf"),
        ("shop-prod-edge", "AWS::S3::Bucket", "buckets.assets"),
    ],
)
def test_archkit_id_names_the_spec_path(assembly, stack, cfn_type, path):
    assert len(assembly.tagged(stack, cfn_type, path)) == 1


def test_inventory_physical_names_are_in_the_templates(assembly, reference_spec):
    text = json.dumps(assembly.stacks)
    for resource in reference_spec.resources():
        if resource.type == "AWS::ElasticLoadBalancingV2::Listener":
            # Listeners have no name: the inventory's "<alb>:<port>" is the ALB's listener on that port.
            alb_name, port = resource.name.rsplit(":", 1)
            [(alb_id, _)] = [
                (k, v)
                for stack in assembly.stacks
                for k, v in assembly.resources(stack, "AWS::ElasticLoadBalancingV2::LoadBalancer").items()
                if v["Properties"]["Name"] == alb_name
            ]
            listeners = [
                v["Properties"]
                for stack in assembly.stacks
                for v in assembly.resources(stack, "AWS::ElasticLoadBalancingV2::Listener").values()
            ]
            assert [lst["Port"] for lst in listeners if lst["LoadBalancerArn"] == {"Ref": alb_id}] == [
                int(port)
            ], f"{resource.path}: no listener on port {port} of {alb_name}"
            continue
        assert json.dumps(resource.name) in text, f"{resource.path}: {resource.name} not found"
