"""`archkit verify` against an account deployed from archkit's own synthesized CDK templates.

The reference spec is synthesized fresh, its cloud assembly deployed into the emulator by `archkit.emulate`
(tests/shared.py's reference account), and verified. A correct deployment must read clean: no drift, no
compliance failure, only the `not_checked` entries the emulator cannot hold. Then single real changes are
made to that account, one at a time, and each must be reported exactly (resource, attribute, expected,
actual) with nothing else; every change is undone before the next one, so a leak would show up as an extra
finding.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from archkit.emulate.assembly import Assembly
from archkit.emulate.capabilities import DEPLOY_GAPS, SKIPPED_TYPES
from archkit.emulate.deploy import DeployedResource, Executor
from archkit.emulate.registry import HANDLERS, ResourceContext
from archkit.spec import ArchSpec
from archkit.spec.inventory import resources
from archkit.spec.naming import ID_TAG
from archkit.verify.collect.aws import Aws, AwsOptions
from archkit.verify.desired import desired_by_path
from archkit.verify.kinds import state_by_cfn_type
from archkit.verify.run import verify_account
from shared import CHANGES as CATALOGUE
from shared import EMULATOR_NOT_CHECKED, REFERENCE, ROOT, DeployedAccount

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def spec(reference_account: DeployedAccount) -> ArchSpec:
    return reference_account.spec


@pytest.fixture(scope="module")
def deployed(reference_account: DeployedAccount) -> Executor:
    """The reference templates as deployed (scenarios undo their changes)."""
    return reference_account.executor  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def endpoint(reference_account: DeployedAccount) -> str:
    return reference_account.endpoint


@pytest.fixture(scope="module")
def reference_assembly(reference_generated: Path) -> Path:
    return reference_generated / "cdk.out"


def run_verify(spec: ArchSpec, endpoint: str) -> list[dict[str, Any]]:
    """verify as a library call: the findings as the JSON report shows them."""
    aws = Aws(AwsOptions(region=spec.region, endpoint_url=endpoint, calls_per_second=0))
    run = verify_account(spec, str(REFERENCE), aws)
    return [f.model_dump(mode="json") for f in run.report.findings]


def relevant(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drift and (unsuppressed) compliance findings: what a correct deployment must not have."""
    return [
        f for f in findings if f["kind"] == "drift" or (f["kind"] == "compliance" and not f.get("suppressed"))
    ]


def describe(findings: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {f['kind']} {f.get('change') or f.get('rule_id') or f.get('reason')} {f['resource']} "
        f"{f.get('attribute')}: expected {json.dumps(f.get('expected'))[:200]}, "
        f"actual {json.dumps(f.get('actual'))[:200]}"
        for f in findings
    )


def not_checked(findings: list[dict[str, Any]]) -> set[tuple[str, str | None]]:
    return {(f["resource"], f.get("attribute")) for f in findings if f["kind"] == "not_checked"}


# --- the clean deployment ---------------------------------------------------------------------------------


def test_deploy_applied_every_resource_or_says_why(deployed: Executor, reference_assembly: Path) -> None:
    assembly = Assembly.read(reference_assembly)
    declared = {(s.name, lid) for s in assembly.stacks for lid in s.template["Resources"]}
    assert set(deployed.resources) == declared
    skipped_types = {r.type for r in deployed.resources.values() if r.skipped}
    assert skipped_types == {
        "AWS::CE::AnomalyMonitor",
        "AWS::CE::AnomalySubscription",
        "AWS::ApiGateway::Account",
    }
    assert skipped_types <= set(SKIPPED_TYPES)
    gap_props = {(g.resource_type, g.property.split("[", 1)[0]) for g in deployed.gaps}
    assert gap_props == {
        ("AWS::EC2::Instance", "DisableApiTermination"),
        ("AWS::S3::Bucket", "IntelligentTieringConfigurations"),
        ("AWS::S3::Bucket", "LoggingConfiguration"),
        ("AWS::SecretsManager::RotationSchedule", "RotationRules.ScheduleExpression"),
        ("AWS::Budgets::Budget", "ResourceTags"),
    }, f"unexpected emulator gaps: {deployed.gaps}"
    assert gap_props <= set(DEPLOY_GAPS), "a gap the capabilities do not account for"


def test_verify_cli_reads_the_deployed_templates_clean(
    deployed: Executor, endpoint: str, spec: ArchSpec
) -> None:
    """What a user runs against the deployed account: `archkit verify --endpoint-url ... --format json`."""
    result = subprocess.run(
        [sys.executable, "-m", "archkit", "verify", "--endpoint-url", endpoint, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr}\n{result.stdout[-3000:]}"
    report = json.loads(result.stdout)
    findings = report["findings"]
    unexplained = [f for f in findings if f["kind"] == "not_checked" and f.get("reason") != "unsupported"]
    message = (
        f"false findings on a correct deployment:\n{describe(relevant(findings))}\n"
        f"not_checked:\n{describe([f for f in findings if f['kind'] == 'not_checked'])}"
    )
    assert relevant(findings) == [], message
    assert unexplained == [], message
    assert not_checked(findings) == EMULATOR_NOT_CHECKED, message
    assert report["summary"]["drift"] == 0
    assert report["summary"]["compliance_failures"] == 0


# --- single real changes -----------------------------------------------------------------------------------


@dataclass
class Account:
    """The deployed account as a scenario sees it."""

    deployed: DeployedAccount

    @property
    def x(self) -> Executor:
        return self.deployed.executor  # type: ignore[no-any-return]

    @property
    def spec(self) -> ArchSpec:
        return self.deployed.spec

    def client(self, service: str, region: str | None = None) -> Any:
        return self.x.client(service, region or self.spec.region)

    def one(self, resource_type: str, **props: Any) -> DeployedResource:
        found = [
            r
            for r in self.x.of_type(resource_type)
            if all(r.properties.get(k) == v for k, v in props.items())
        ]
        assert len(found) == 1, f"{len(found)} {resource_type} with {props}"
        return found[0]

    def reapply(self, res: DeployedResource) -> None:
        """Create ``res`` again from the template's resolved properties (the undo of a deletion)."""
        HANDLERS[res.type](
            ResourceContext(self.x, res.stack, res.region, res.logical_id, res.type), res.properties
        )

    def tagged(self, resource_type: str, spec_path: str) -> DeployedResource:
        found = [
            r
            for r in self.x.of_type(resource_type)
            if {"Key": ID_TAG, "Value": spec_path} in (r.properties.get("Tags") or [])
        ]
        assert len(found) == 1, f"{len(found)} {resource_type} tagged {spec_path}"
        return found[0]


@dataclass
class Change:
    name: str
    apply: Callable[[Account], None]
    undo: Callable[[Account], None]
    drift: list[dict[str, Any]]
    """Exactly the drift findings: change, resource, resource_type, attribute, expected, actual."""
    compliance: set[tuple[str, str]] = field(default_factory=set)
    """(rule id, resource) of the compliance failures the change causes, if any."""


def _policy_without(sid: str | None) -> Callable[[Account], None]:
    def run(a: Account) -> None:
        res = a.one("AWS::S3::BucketPolicy", Bucket="shop-prod-assets")
        doc = res.properties["PolicyDocument"]
        kept = [st for st in doc["Statement"] if st.get("Sid") != sid]
        a.client("s3").put_bucket_policy(
            Bucket="shop-prod-assets", Policy=json.dumps({**doc, "Statement": kept})
        )

    return run


def _delete_method(a: Account) -> None:
    method = _user_delete_method(a)
    a.client("apigateway").delete_method(
        restApiId=method.properties["RestApiId"],
        resourceId=method.properties["ResourceId"],
        httpMethod="DELETE",
    )


def _user_delete_method(a: Account) -> DeployedResource:
    users_id = [r for r in a.x.of_type("AWS::ApiGateway::Resource") if r.properties["PathPart"] == "{id}"]
    assert len(users_id) == 1
    return a.one("AWS::ApiGateway::Method", HttpMethod="DELETE", ResourceId=users_id[0].ref)


def _lifecycle(without: str | None) -> Callable[[Account], None]:
    def run(a: Account) -> None:
        from archkit.emulate.handlers.s3 import lifecycle_rule

        bucket = a.tagged("AWS::S3::Bucket", "buckets.assets")
        rules = [r for r in bucket.properties["LifecycleConfiguration"]["Rules"] if r["Id"] != without]
        a.client("s3").put_bucket_lifecycle_configuration(
            Bucket="shop-prod-assets", LifecycleConfiguration={"Rules": [lifecycle_rule(r) for r in rules]}
        )

    return run


def _web_acl(attached: bool) -> Callable[[Account], None]:
    def run(a: Account) -> None:
        dist = a.tagged("AWS::CloudFront::Distribution", "edge.cdn")
        cf = a.client("cloudfront")
        current = cf.get_distribution_config(Id=dist.ref)
        config = current["DistributionConfig"]
        config["WebACLId"] = dist.properties["DistributionConfig"]["WebACLId"] if attached else ""
        cf.update_distribution(Id=dist.ref, IfMatch=current["ETag"], DistributionConfig=config)

    return run


def catalogue(name: str) -> tuple[Callable[[Account], None], Callable[[Account], None]]:
    """A change of the emulate package's catalogue and its undo."""
    change = CATALOGUE[name]
    return (
        lambda a: change.apply(a.deployed.account, a.spec),
        lambda a: change.revert(a.deployed.account, a.spec),
    )


UNMANAGED_TAGS = [
    {"Key": "Project", "Value": "shop"},
    {"Key": "Environment", "Value": "prod"},
    {"Key": "Owner", "Value": "someone-else"},
]


def _unmanaged_table(a: Account) -> None:
    a.client("dynamodb").create_table(
        TableName="shop-prod-orders",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=UNMANAGED_TAGS,
    )


def _drop_unmanaged_table(a: Account) -> None:
    a.client("dynamodb").delete_table(TableName="shop-prod-orders")


def changed(resource: str, resource_type: str, attribute: str, expected: Any, actual: Any) -> dict[str, Any]:
    return {
        "change": "changed",
        "resource": resource,
        "resource_type": resource_type,
        "attribute": attribute,
        "expected": expected,
        "actual": actual,
    }


CHANGES = [
    Change(
        "pitr-off",
        *catalogue("pitr-off"),
        [changed("tables.main", "AWS::DynamoDB::GlobalTable", "point_in_time_recovery", True, False)],
        {("ARCH-DDB-001", "tables.main")},
    ),
    Change(
        "memory-changed",
        *catalogue("memory"),
        [changed("functions.get_user", "AWS::Lambda::Function", "memory", 512, 1024)],
    ),
    Change(
        "bucket-policy-statement-removed",
        _policy_without("BackupRoleWriteBackups"),
        _policy_without(None),
        [
            changed(
                "buckets.assets",
                "AWS::S3::Bucket",
                "policy_statements.BackupRoleWriteBackups",
                {
                    "effect": "Allow",
                    "principal": "security.roles.backup",
                    "access": "write",
                    "prefix": "backups/",
                },
                None,
            )
        ],
    ),
    Change(
        "tag-removed",
        *catalogue("tag-removed"),
        [changed("tables.main", "AWS::DynamoDB::GlobalTable", "tags.Owner", "platform-team", None)],
        {("ARCH-COST-004", "tables.main")},
    ),
    Change(
        "route-method-deleted",
        _delete_method,
        lambda a: a.reapply(_user_delete_method(a)),
        [
            changed(
                "api",
                "AWS::ApiGateway::RestApi",
                "methods[DELETE /api/users/{id}]",
                {
                    "function": "functions.get_user_id",
                    "integration": "proxy",
                    "authorizer": "api.authorizers.jwt",
                    "api_key_required": False,
                    "validation": "params",
                    "request_model": None,
                    "request_parameters": {},
                    "request_templates": {},
                    "response_templates": {},
                    "vpc_link": None,
                    "integration_target": None,
                },
                None,
            )
        ],
    ),
    Change(
        "lifecycle-rule-removed",
        _lifecycle("backups-to-glacier"),
        _lifecycle(None),
        [
            changed(
                "buckets.assets",
                "AWS::S3::Bucket",
                "lifecycle_rules.backups-to-glacier",
                {
                    "prefix": "backups/",
                    "enabled": True,
                    "transitions": [{"storage_class": "GLACIER", "days": 90}],
                    "expiration_days": None,
                    "noncurrent_expiration_days": 365,
                    "abort_incomplete_multipart_days": 7,
                },
                None,
            )
        ],
        {("ARCH-COST-002", "buckets.assets")},
    ),
    Change(
        "waf-detached",
        _web_acl(False),
        _web_acl(True),
        [changed("edge.cdn", "AWS::CloudFront::Distribution", "web_acl", "edge.waf", None)],
        # the stage keeps its own web ACL (origin verification), so ARCH-APIG-007 still passes
        {("ARCH-CFR-001", "edge.cdn")},
    ),
    Change(
        "rotation-off",
        *catalogue("rotation-off"),
        [changed("secrets.db_password", "AWS::SecretsManager::Secret", "rotation_enabled", True, False)],
        {("ARCH-SMG-001", "secrets.db_password")},
    ),
    Change(
        "unmanaged-tagged-table",
        _unmanaged_table,
        _drop_unmanaged_table,
        [
            {
                "change": "unmanaged",
                "resource": "shop-prod-orders",
                "resource_type": "AWS::DynamoDB::Table",
                "attribute": None,
                "expected": None,
                "actual": "shop-prod-orders",
            }
        ],
    ),
    Change(
        "ssh-opened-on-lambda-group",
        *catalogue("ssh-opened"),
        [
            changed(
                "network.security_groups.lambda",
                "AWS::EC2::SecurityGroup",
                "ingress[tcp 22 cidr 0.0.0.0/0]",
                None,
                "debug",
            )
        ],
        {("ARCH-SG-001", "network.security_groups.lambda")},
    ),
    Change(
        "log-retention-shortened",
        *catalogue("log-retention"),
        [changed("functions.get_user", "AWS::Lambda::Function", "log_retention_days", 30, 7)],
    ),
]


@pytest.fixture
def account(reference_account: DeployedAccount) -> Account:
    return Account(reference_account)


@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_single_change_is_reported_exactly(change: Change, account: Account, endpoint: str) -> None:
    change.apply(account)
    try:
        findings = run_verify(account.spec, endpoint)
    finally:
        change.undo(account)
    drift = [
        {k: f.get(k) for k in ("change", "resource", "resource_type", "attribute", "expected", "actual")}
        for f in findings
        if f["kind"] == "drift"
    ]
    compliance = {(f["rule_id"], f["resource"]) for f in relevant(findings) if f["kind"] == "compliance"}
    message = f"{change.name}: reported\n{describe(relevant(findings))}"
    assert drift == change.drift, message
    assert compliance == change.compliance, message
    assert not_checked(findings) == EMULATOR_NOT_CHECKED, message


def test_account_reads_clean_again_after_every_change_was_undone(
    deployed: Executor, endpoint: str, spec: ArchSpec
) -> None:
    findings = run_verify(spec, endpoint)
    assert relevant(findings) == [], describe(relevant(findings))


# --- templates ⇄ inventory ---------------------------------------------------------------------------------

NAME_OF: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "AWS::IAM::Role": lambda p: p.get("RoleName"),
    "AWS::SecretsManager::Secret": lambda p: p.get("Name"),
    "AWS::DynamoDB::Table": lambda p: p.get("TableName"),
    "AWS::DynamoDB::GlobalTable": lambda p: p.get("TableName"),
    "AWS::S3::Bucket": lambda p: p.get("BucketName"),
    "AWS::Lambda::LayerVersion": lambda p: p.get("LayerName"),
    "AWS::Lambda::Function": lambda p: p.get("FunctionName"),
    "AWS::ApiGateway::RestApi": lambda p: p.get("Name"),
    "AWS::ApiGateway::Authorizer": lambda p: p.get("Name"),
    "AWS::ApiGateway::ApiKey": lambda p: p.get("Name"),
    "AWS::ApiGateway::UsagePlan": lambda p: p.get("UsagePlanName"),
    "AWS::Route53::HostedZone": lambda p: str(p.get("Name", "")).rstrip("."),
    "AWS::CloudFront::Distribution": lambda p: p.get("DistributionConfig", {}).get("Comment"),
    "AWS::WAFv2::WebACL": lambda p: p.get("Name"),
    "AWS::Budgets::Budget": lambda p: p.get("Budget", {}).get("BudgetName"),
    "AWS::CE::AnomalyMonitor": lambda p: p.get("MonitorName"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": lambda p: p.get("Name"),
    "AWS::ElasticLoadBalancingV2::TargetGroup": lambda p: p.get("Name"),
    "AWS::RDS::DBInstance": lambda p: p.get("DBInstanceIdentifier"),
    "AWS::RDS::DBSubnetGroup": lambda p: p.get("DBSubnetGroupName"),
    "AWS::ApiGatewayV2::VpcLink": lambda p: p.get("Name"),
}
"""How verify finds each kind in an account (EC2 kinds by their `Name` tag, KMS keys by alias, a listener by
its load balancer's name and its port)."""

TAG_PROPERTY = {
    "AWS::Route53::HostedZone": "HostedZoneTags",
    "AWS::Budgets::Budget": "ResourceTags",
    "AWS::CE::AnomalyMonitor": "ResourceTags",
}


def _tags(resource_type: str, props: dict[str, Any], region: str = "us-east-1") -> dict[str, str]:
    if resource_type == "AWS::DynamoDB::GlobalTable":  # tags are per replica: the primary region's
        props = next((r for r in props.get("Replicas", []) if r.get("Region") == region), {})
    tags = props.get(TAG_PROPERTY.get(resource_type, "Tags")) or []
    return {t["Key"]: t["Value"] for t in tags} if isinstance(tags, list) else dict(tags)


@pytest.fixture(scope="module")
def primary_resources(reference_assembly: Path, spec: ArchSpec) -> list[tuple[str, str, dict[str, Any]]]:
    """(logical id, type, properties) of every resource in the stacks of the spec's primary region."""
    out = []
    for stack in Assembly.read(reference_assembly).stacks:
        if stack.region == spec.region:
            out += [
                (lid, r["Type"], r.get("Properties", {})) for lid, r in stack.template["Resources"].items()
            ]
    return out


def _identity(
    resource_type: str, props: dict[str, Any], names: dict[str, str], logical_id: str
) -> str | None:
    """``names``: KMS key aliases and load balancer names by logical id."""
    if resource_type.startswith("AWS::EC2::"):
        return _tags(resource_type, props).get("Name")
    if resource_type == "AWS::KMS::Key":
        return names.get(logical_id)
    if resource_type == "AWS::ElasticLoadBalancingV2::Listener":
        return f"{names.get(props['LoadBalancerArn']['Ref'])}:{props['Port']}"
    return NAME_OF[resource_type](props)


def test_every_inventory_resource_is_in_the_templates_as_verify_finds_it(
    spec: ArchSpec, primary_resources: list[tuple[str, str, dict[str, Any]]]
) -> None:
    names = {
        p["TargetKeyId"]["Fn::GetAtt"][0]: p["AliasName"]
        for _, t, p in primary_resources
        if t == "AWS::KMS::Alias" and isinstance(p.get("TargetKeyId"), dict)
    }
    names |= {
        lid: p["Name"] for lid, t, p in primary_resources if t == "AWS::ElasticLoadBalancingV2::LoadBalancer"
    }
    problems = []
    for res in resources(spec):
        same_type = [(lid, p) for lid, t, p in primary_resources if t == res.type]
        named = [(lid, p) for lid, p in same_type if _identity(res.type, p, names, lid) == res.name]
        if len(named) != 1:
            problems.append(f"{res.path}: {len(named)} {res.type} named {res.name!r}")
            continue
        cls = state_by_cfn_type().get(res.type)
        if cls is None or cls.TAGGABLE:
            tag = _tags(res.type, named[0][1]).get(ID_TAG)
            if tag != res.path:
                problems.append(f"{res.path}: {res.type} {res.name!r} has {ID_TAG}={tag!r}")
    assert problems == []


TAG_MATCHED = frozenset(
    {
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::RouteTable",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::FlowLog",
        "AWS::CloudFront::Distribution",
        "AWS::Route53::HostedZone",
    }
)
"""Kinds verify tells apart by their `archkit:id` tag (EC2 resources have no names; a distribution and a zone
fall back to it). Other kinds are found by name, and helpers (an execution role, a log group) carry the spec
path of the resource they serve."""


def test_every_tag_matched_template_resource_names_a_desired_state_of_its_kind(
    spec: ArchSpec, primary_resources: list[tuple[str, str, dict[str, Any]]]
) -> None:
    desired = desired_by_path(spec)
    problems = []
    for lid, resource_type, props in primary_resources:
        if resource_type not in TAG_MATCHED:
            continue
        path = _tags(resource_type, props, spec.region).get(ID_TAG)
        want = desired.get(path or "")
        if want is None or want.resource_type != resource_type:
            kind = want.resource_type if want else "no desired state"
            problems.append(f"{lid} ({resource_type}): {ID_TAG}={path!r} names {kind}")
    assert problems == []
