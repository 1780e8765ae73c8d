"""Specs other than the reference: nag findings block the output, cross-region edge, standalone use."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from .cdk_helpers import REFERENCE_SPEC

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]


def _reference_doc() -> dict[str, Any]:
    return yaml.safe_load(REFERENCE_SPEC.read_text())


def _write(doc: dict[str, Any], tmp_path: Path) -> Path:
    """Write a spec next to a copy of the reference Lambda code (code paths are relative to the spec)."""
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    lambda_dir = tmp_path / "lambda"
    if not lambda_dir.exists():
        import shutil

        shutil.copytree(
            REFERENCE_SPEC.parent / "lambda", lambda_dir, ignore=shutil.ignore_patterns("__pycache__")
        )
    return path


def test_unacknowledged_nag_findings_fail_and_write_nothing(tmp_path):
    from archkit.cdk.synth import NagViolations, synthesize
    from archkit.spec import load_spec

    doc = _reference_doc()
    acknowledged = {entry["rule"] for entry in doc["compliance"]["nag_suppressions"]}
    doc["compliance"]["nag_suppressions"] = []
    spec_path = _write(doc, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous output")
    with pytest.raises(NagViolations) as raised:
        synthesize(load_spec(spec_path), spec_path, out)
    rules = {v.rule.split("[")[0] for v in raised.value.violations}
    assert rules == acknowledged  # exactly what the reference spec acknowledges, nothing more
    # archkit's own patterns (the uploads/ prefix grant, ENI and X-Ray wildcards) need no suppression.
    assert not [v for v in raised.value.violations if v.rule.startswith("AwsSolutions-IAM5")]
    assert {v.path for v in raised.value.violations if v.rule == "AwsSolutions-RDS11"} == {
        "shop-prod-application/Database/Instance/Resource"
    }
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def _small_spec(region: str) -> dict[str, Any]:
    """A spec without functions or tables: a static site behind CloudFront and WAF, plus cost."""
    return {
        "project": "site",
        "owner": "web-team",
        "environment": "prod",
        "region": region,
        "availability_zones": [f"{region}a", f"{region}b"],
        "network": {
            "vpc_cidr": "10.1.0.0/16",
            "public_subnets": [
                {"az": f"{region}a", "cidr": "10.1.0.0/24"},
                {"az": f"{region}b", "cidr": "10.1.1.0/24"},
            ],
            "private_subnets": [],
            "nat_gateways": 0,
            "flow_logs": {"enabled": True, "retention_days": 30},
        },
        "edge": {
            "dns": {
                "enabled": True,
                "domain_name": "site.example.org",
                "records": [{"name": "", "type": "A"}],
            },
            "cdn": {
                "enabled": True,
                "static_bucket": "web",
                "static_prefix": "public/",
                "logs_bucket": "logs",
            },
            "waf": {"enabled": True, "rate_limit": 500, "bot_control": False, "geo_block": []},
        },
        "buckets": {
            "web": {
                "prefixes": [{"path": "public/"}],
                "policies": [
                    {
                        "sid": "CloudFrontRead",
                        "principal": "cloudfront",
                        "access": "read",
                        "prefix": "public/",
                    }
                ],
                "access_logs_bucket": "logs",
            },
            "logs": {
                "prefixes": [{"path": "s3/"}, {"path": "cloudfront/"}],
                "object_ownership": "ObjectWriter",
            },
        },
        "cost": {
            "budgets": {"monthly": {"amount": 50, "emails": ["web@example.org"]}},
            "anomaly_detection": {"enabled": False},
        },
    }


def test_primary_region_outside_us_east_1_gets_a_global_edge_stack(tmp_path):
    from archkit.cdk.app import build
    from archkit.spec import spec_from_dict

    spec = spec_from_dict(copy.deepcopy(_small_spec("eu-west-1")))
    built = build(spec, spec_dir=tmp_path, outdir=tmp_path / "cdk.out", nag=False)
    assembly = built.app.synth()
    regions = {s.stack_name: s.environment.region for s in assembly.stacks}
    assert regions == {
        "site-prod-network": "eu-west-1",
        "site-prod-data": "eu-west-1",
        "site-prod-application": "eu-west-1",
        "site-prod-edge": "eu-west-1",
        "site-prod-edge-global": "us-east-1",
        "site-prod-cost": "us-east-1",
    }
    from aws_cdk.assertions import Match, Template

    global_ = Template.from_stack(next(s for s in built.stacks if s.stack_name == "site-prod-edge-global"))
    global_.has_resource_properties(
        "AWS::WAFv2::WebACL", {"Name": "site-prod-web-acl", "Scope": "CLOUDFRONT"}
    )
    global_.has_resource_properties(
        "AWS::CertificateManager::Certificate", {"DomainName": "site.example.org"}
    )
    edge = Template.from_stack(next(s for s in built.stacks if s.stack_name == "site-prod-edge"))
    edge.has_resource_properties("AWS::S3::Bucket", {"BucketName": "site-prod-web"})
    edge.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {"Aliases": ["site.example.org"], "Origins": [Match.object_like({"OriginPath": "/public"})]}
            )
        },
    )
    network = Template.from_stack(next(s for s in built.stacks if s.stack_name == "site-prod-network"))
    network.resource_count_is("AWS::EC2::NatGateway", 0)
    network.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_constructs_work_inside_an_existing_app(tmp_path):
    """A user's own stack can host one archkit construct without the rest of the app."""
    import aws_cdk as cdk
    from aws_cdk.assertions import Template

    from archkit.cdk import BuildContext, NetworkConstruct
    from archkit.spec import load_spec

    spec = load_spec(REFERENCE_SPEC)
    app = cdk.App()
    stack = cdk.Stack(app, "MyExistingStack", env=cdk.Environment(region="us-east-1"))
    network = NetworkConstruct(
        stack, "ShopNetwork", ctx=BuildContext(spec=spec, spec_dir=REFERENCE_SPEC.parent)
    )
    assert sorted(network.security_groups) == [
        "alb",
        "bastion",
        "database",
        "endpoints",
        "lambda",
        "vpc_link",
    ]
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::EC2::Subnet", {"CidrBlock": "10.0.12.0/24", "AvailabilityZone": "us-east-1c"}
    )
