"""Every combination of the optional edge parts (CloudFront + its WAF, Route 53, an API custom domain) and the
primary region gets stacks that each hold something: the layout of the whole matrix is checked without
synthesis; one combination the reference and the examples do not cover (no CloudFront and no global stack, a
zone with an alias to the API domain, an imported certificate, functions outside any VPC) is synthesized
once and linted."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest
import yaml

from shared import ROOT

BASE = yaml.safe_load((ROOT / "tests" / "fixtures" / "specs" / "good" / "no_vpc_functions.yaml").read_text())
CERTIFICATE = "arn:aws:acm:{region}:123456789012:certificate/0f9d4bb8-56f2-4a2b-9c31-3f0c8f3f1f7e"


def _doc(region: str, cdn: bool, dns: bool, domain: str) -> dict[str, Any]:
    """The notes API with the given edge parts; ``domain`` is `none`, `issued` (validated in the zone) or
    `imported` (a certificate ARN)."""
    doc = copy.deepcopy(BASE)
    doc["region"] = region
    doc["availability_zones"] = [f"{region}a", f"{region}b"]
    records: list[dict[str, str]] = []
    if cdn:
        records.append({"name": "", "type": "A", "target": "cdn"})
        doc["buckets"]["site"] = {"prefixes": [{"path": "public/"}]}
    if domain != "none":
        records.append({"name": "api", "type": "A", "target": "api"})
        doc["api"]["domain"] = {"domain_name": "api.notes.example.org"}
        if domain == "imported":
            doc["api"]["domain"]["certificate_arn"] = CERTIFICATE.format(region=region)
    doc["edge"] = {
        "dns": {"enabled": dns, "domain_name": "notes.example.org", "records": records},
        "cdn": {"enabled": cdn, "static_bucket": "site", "static_prefix": "public/"},
        "waf": {"enabled": cdn},
    }
    return doc


MATRIX = [
    (region, cdn, dns, domain)
    for region, cdn, dns, domain in itertools.product(
        ("us-east-1", "eu-west-1"), (True, False), (True, False), ("none", "issued", "imported")
    )
    if not (domain == "issued" and not dns)  # an issued certificate is validated in the zone
]


@pytest.mark.parametrize(("region", "cdn", "dns", "domain"), MATRIX)
def test_every_stack_of_the_layout_holds_something(region: str, cdn: bool, dns: bool, domain: str) -> None:
    from archkit.cdk.layout import layout
    from archkit.spec import spec_from_dict

    names = layout(spec_from_dict(_doc(region, cdn, dns, domain)))
    zone_first = dns and domain == "issued"  # the API domain's certificate is validated in the zone
    global_stack = (cdn and region != "us-east-1") or zone_first
    assert (names.edge_global is not None) == global_stack
    # Only CloudFront's certificate and web ACL must live in us-east-1.
    assert names.global_region == ("us-east-1" if cdn else region)
    records = dns and (cdn or domain != "none")
    edge = cdn or records or (dns and not global_stack)
    assert (names.edge is not None) == edge
    if edge:
        assert names.edge_region == ("us-east-1" if cdn and not global_stack else region)


@pytest.fixture(scope="module")
def api_only_zone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The notes API in us-west-2 behind its own domain (imported certificate), its zone and alias records
    in the edge stack: no CloudFront, no global stack. Synthesized once (cdk-nag aside: the fixture's
    findings are the spec's to acknowledge, not this test's)."""
    from archkit.cdk.app import build
    from archkit.spec import spec_from_dict

    doc = _doc("us-west-2", cdn=False, dns=True, domain="imported")
    doc["api"]["disable_execute_api_endpoint"] = True
    doc["api"]["waf"] = {
        "enabled": True,
        "rules": [{"name": "login-burst", "rate_limit": {"limit": 50, "path": "/notes"}}],
    }
    for fn in doc["functions"].values():
        fn["code"] = "code"
    out = tmp_path_factory.mktemp("api-only-zone")
    (out / "code").mkdir()
    (out / "code" / "notes.py").write_text(
        "def list_notes(e, c):\n    return {}\n\n\ndef add_note(e, c):\n    return {}\n"
    )
    built = build(spec_from_dict(doc), spec_dir=out, outdir=out / "cdk.out", nag=False)
    assembly = built.app.synth()
    return {s.stack_name: (s.environment.region, s.template) for s in assembly.stacks}


@pytest.mark.slow
@pytest.mark.xdist_group("cdk")
def test_api_only_system_with_a_zone_deploys_without_an_empty_stack(api_only_zone: dict[str, Any]) -> None:
    from cfnlint.api import lint

    assert {name: region for name, (region, _) in api_only_zone.items()} == {
        "notes-prod-network": "us-west-2",
        "notes-prod-data": "us-west-2",
        "notes-prod-application": "us-west-2",
        "notes-prod-edge": "us-west-2",
        "notes-prod-cost": "us-east-1",
    }
    for name, (region, template) in api_only_zone.items():
        assert template.get("Resources"), f"{name} is empty"
        errors = [m for m in lint(json.dumps(template), regions=[region]) if m.rule.severity == "error"]
        assert errors == [], f"{name}: {errors}"
    edge = api_only_zone["notes-prod-edge"][1]["Resources"]
    assert sorted(r["Type"] for r in edge.values()) == ["AWS::Route53::HostedZone", "AWS::Route53::RecordSet"]
    (record,) = [r for r in edge.values() if r["Type"] == "AWS::Route53::RecordSet"]
    assert record["Properties"]["Name"] == "api.notes.example.org."
    assert "RegionalDomainName" in json.dumps(record["Properties"]["AliasTarget"]["DNSName"])
    app = api_only_zone["notes-prod-application"][1]["Resources"]
    (domain,) = [r["Properties"] for r in app.values() if r["Type"] == "AWS::ApiGateway::DomainName"]
    assert domain["RegionalCertificateArn"] == CERTIFICATE.format(region="us-west-2")
    assert domain["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert not any(r["Type"] == "AWS::CertificateManager::Certificate" for r in app.values())
    (api,) = [r["Properties"] for r in app.values() if r["Type"] == "AWS::ApiGateway::RestApi"]
    assert api["DisableExecuteApiEndpoint"] is True
    (acl,) = [r["Properties"] for r in app.values() if r["Type"] == "AWS::WAFv2::WebACL"]
    assert acl["Scope"] == "REGIONAL" and acl["Rules"][0]["Name"] == "login-burst"
    assert acl["Rules"][0]["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["ByteMatchStatement"] == {
        "FieldToMatch": {"UriPath": {}},
        "PositionalConstraint": "STARTS_WITH",
        "SearchString": "/notes",
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
    }
    (association,) = [r["Properties"] for r in app.values() if r["Type"] == "AWS::WAFv2::WebACLAssociation"]
    assert "/stages/" in json.dumps(association["ResourceArn"])
    types = {r["Type"] for _, t in api_only_zone.values() for r in t["Resources"].values()}
    assert not types & {"AWS::CloudFront::Distribution", "AWS::EC2::Subnet", "AWS::EC2::NatGateway"}


def test_layout_module_needs_no_cdk() -> None:
    """The matrix above runs without synthesis: the layout is plain Python over the spec."""
    source = (ROOT / "src" / "archkit" / "cdk" / "layout.py").read_text()
    assert "aws_cdk" not in source


def _cloudfront_doc() -> dict[str, Any]:
    """A single-page app and its API behind CloudFront in eu-west-1: no static bucket (the app bucket is the
    default origin through its own policy), a media bucket and a partner host by path pattern, managed cache
    and response headers policies by name, 403/404 answered with the app's index."""
    doc = _doc("eu-west-1", cdn=True, dns=True, domain="none")
    doc["buckets"] = {
        **doc["buckets"],
        "app": {
            "prefixes": [{"path": "build/"}],
            "policies": [
                {"sid": "CloudFrontApp", "principal": "cloudfront", "access": "read", "prefix": "build/"}
            ],
        },
        "media": {
            "prefixes": [{"path": "media/"}],
            "policies": [
                {"sid": "CloudFrontMedia", "principal": "cloudfront", "access": "read", "prefix": "media/"}
            ],
        },
    }
    del doc["buckets"]["site"]
    doc["edge"]["cdn"] = {
        "enabled": True,
        "static_bucket": None,
        "default_origin": "buckets.app",
        "response_headers_policy": "SecurityHeadersPolicy",
        "api_path_pattern": "/notes*",
        "origins": {"partner": {"domain_name": "partner.example.net", "origin_path": "/v2"}},
        "behaviors": [
            {"path_pattern": "/media/*", "origin": "buckets.media", "cache_policy": "CachingOptimized"},
            {
                "path_pattern": "/partner/*",
                "origin": "origins.partner",
                "cache_policy": "UseOriginCacheControlHeaders-QueryStrings",
                "allowed_methods": "GET_HEAD_OPTIONS",
                "response_headers_policy": "CORS-With-Preflight",
            },
        ],
        "error_responses": [{"error_code": 403}, {"error_code": 404, "ttl_seconds": 0}],
    }
    return doc


def test_cloudfront_origins_and_behaviours_are_what_verify_expects() -> None:
    """The desired distribution (verify's side) reads the same origins and behaviours the spec declares."""
    from archkit.spec import spec_from_dict
    from archkit.verify.desired import desired_by_path

    spec = spec_from_dict(_cloudfront_doc())
    state = desired_by_path(spec)["edge.cdn"]
    assert state.origins == {
        "api": "/v1",
        "buckets.app": "",
        "buckets.media": "",
        "partner.example.net": "/v2",
    }
    assert state.default_origin == "buckets.app"
    assert state.behaviors == {
        "/notes*": "api",
        "/media/*": "buckets.media",
        "/partner/*": "partner.example.net",
    }
    assert state.error_responses == {"403": "200 /index.html", "404": "200 /index.html"}


@pytest.mark.slow
@pytest.mark.xdist_group("cdk")
def test_cloudfront_with_several_origins_synthesizes(tmp_path_factory: pytest.TempPathFactory) -> None:
    from cfnlint.api import lint

    from archkit.cdk.app import build
    from archkit.spec import spec_from_dict

    doc = _cloudfront_doc()
    for fn in doc["functions"].values():
        fn["code"] = "code"
    out = tmp_path_factory.mktemp("cloudfront-origins")
    (out / "code").mkdir()
    (out / "code" / "notes.py").write_text(
        "def list_notes(e, c):\n    return {}\n\n\ndef add_note(e, c):\n    return {}\n"
    )
    built = build(spec_from_dict(doc), spec_dir=out, outdir=out / "cdk.out", nag=False)
    stacks = {s.stack_name: s for s in built.app.synth().stacks}
    for name, stack in stacks.items():
        errors = [
            m
            for m in lint(json.dumps(stack.template), regions=[stack.environment.region])
            if m.rule.severity == "error"
        ]
        assert errors == [], f"{name}: {errors}"
    edge = stacks["notes-prod-edge"].template["Resources"]
    (config,) = [
        r["Properties"]["DistributionConfig"]
        for r in edge.values()
        if r["Type"] == "AWS::CloudFront::Distribution"
    ]
    origin_ids = {o["Id"]: o for o in config["Origins"]}
    assert set(origin_ids) == {"api", "bucket-app", "bucket-media", "origin-partner"}
    assert origin_ids["origin-partner"]["DomainName"] == "partner.example.net"
    assert origin_ids["origin-partner"]["OriginPath"] == "/v2"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "bucket-app"
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == "67f7725c-6f97-4210-82d7-5512b31e9d03"
    behaviors = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert [b["PathPattern"] for b in config["CacheBehaviors"]] == ["/notes*", "/media/*", "/partner/*"]
    assert behaviors["/partner/*"]["TargetOriginId"] == "origin-partner"
    assert behaviors["/partner/*"]["CachePolicyId"] == "4cc15a8a-d715-48a4-82b8-cc0b614638fe"
    assert behaviors["/partner/*"]["AllowedMethods"] == ["GET", "HEAD", "OPTIONS"]
    assert behaviors["/notes*"]["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert config["CustomErrorResponses"] == [
        {"ErrorCachingMinTTL": 10, "ErrorCode": 403, "ResponseCode": 200, "ResponsePagePath": "/index.html"},
        {"ErrorCachingMinTTL": 0, "ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html"},
    ]
    (oac,) = [r for r in edge.values() if r["Type"] == "AWS::CloudFront::OriginAccessControl"]
    assert origin_ids["bucket-media"]["OriginAccessControlId"] == {
        "Fn::GetAtt": [next(k for k, v in edge.items() if v is oac), "Id"]
    }
