"""Edge stacks (us-east-1): CloudFront and its records in ``-edge``; hosted zone, CloudFront certificate and
WAF in ``-edge-global`` (the load balancer's certificate is validated in the zone, so the application stack
needs it before the edge stack, which needs the API)."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
EDGE = "shop-prod-edge"
GLOBAL = "shop-prod-edge-global"


def test_edge_stacks_are_in_us_east_1(assembly):
    assert assembly.regions[EDGE] == "us-east-1"
    assert assembly.regions[GLOBAL] == "us-east-1"


def test_zone_and_certificate(assembly):
    zone_id, _ = assembly.one(GLOBAL, "AWS::Route53::HostedZone", Name="shop.example.com.")
    assert assembly.resources(EDGE, "AWS::Route53::HostedZone") == {}
    assembly.template(GLOBAL).has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "shop.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [{"DomainName": "shop.example.com", "HostedZoneId": {"Ref": zone_id}}],
            "KeyAlgorithm": "RSA_2048",
        },
    )


def test_web_acl_rules(assembly):
    _, acl = assembly.one(GLOBAL, "AWS::WAFv2::WebACL", Name="shop-prod-web-acl")
    props = acl["Properties"]
    assert props["Scope"] == "CLOUDFRONT"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {r["Name"]: r for r in props["Rules"]}
    assert [r["Name"] for r in sorted(props["Rules"], key=lambda r: r["Priority"])] == [
        "GeoBlock",
        "AWS-AWSManagedRulesAmazonIpReputationList",
        "RateLimit",
        "AWS-AWSManagedRulesCommonRuleSet",
        "AWS-AWSManagedRulesKnownBadInputsRuleSet",
        "AWS-AWSManagedRulesSQLiRuleSet",
        "AWS-AWSManagedRulesBotControlRuleSet",
    ]
    assert rules["GeoBlock"]["Statement"] == {"GeoMatchStatement": {"CountryCodes": ["KP", "IR", "SY", "CU"]}}
    assert rules["GeoBlock"]["Action"] == {"Block": {}}
    assert rules["RateLimit"]["Statement"] == {
        "RateBasedStatement": {"AggregateKeyType": "IP", "EvaluationWindowSec": 300, "Limit": 2000}
    }
    assert rules["AWS-AWSManagedRulesSQLiRuleSet"]["Statement"] == {
        "ManagedRuleGroupStatement": {"Name": "AWSManagedRulesSQLiRuleSet", "VendorName": "AWS"}
    }
    assert rules["AWS-AWSManagedRulesSQLiRuleSet"]["OverrideAction"] == {"None": {}}
    bot = rules["AWS-AWSManagedRulesBotControlRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert bot["ManagedRuleGroupConfigs"] == [
        {"AWSManagedRulesBotControlRuleSet": {"InspectionLevel": "COMMON"}}
    ]
    for rule in props["Rules"]:
        assert rule["VisibilityConfig"]["MetricName"] == rule["Name"]


def test_distribution(assembly):
    acl_id, _ = assembly.one(GLOBAL, "AWS::WAFv2::WebACL", Name="shop-prod-web-acl")
    cert_id, _ = assembly.one(GLOBAL, "AWS::CertificateManager::Certificate", DomainName="shop.example.com")
    oac_id = next(iter(assembly.resources(EDGE, "AWS::CloudFront::OriginAccessControl")))
    _, dist = next(iter(assembly.resources(EDGE, "AWS::CloudFront::Distribution").items()))
    config = dist["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["shop.example.com"]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": assembly.import_of(GLOBAL, cert_id),
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "SslSupportMethod": "sni-only",
    }
    assert config["WebACLId"] == assembly.import_of(GLOBAL, acl_id, "Arn")
    assert config["HttpVersion"] == "http2and3"
    assert config["PriceClass"] == "PriceClass_100"
    assert config["DefaultRootObject"] == "index.html"
    assert config["IPV6Enabled"] is True
    assert config["Logging"]["Prefix"] == "cloudfront/"
    assert config["Logging"]["IncludeCookies"] is False
    assert "shop-prod-logs.s3." in str(config["Logging"]["Bucket"])
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["static"]["DomainName"] == "shop-prod-assets.s3.us-east-1.amazonaws.com"
    assert origins["static"]["OriginPath"] == "/static"
    assert origins["static"]["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert origins["api"]["OriginPath"] == "/v1"
    assert origins["api"]["CustomOriginConfig"] == {
        "OriginProtocolPolicy": "https-only",
        "OriginSSLProtocols": ["TLSv1.2"],
    }
    assert "execute-api.us-east-1." in str(origins["api"]["DomainName"])
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "static"
    assert default["Compress"] is True
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    api = config["CacheBehaviors"][0]
    assert api["PathPattern"] == "/api/*"
    assert api["TargetOriginId"] == "api"
    assert api["AllowedMethods"] == ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
    assembly.template(EDGE).has_resource_properties(
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": {
                "Name": "shop-prod-cdn-oac",
                "Description": Match.any_value(),
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    )


@pytest.mark.parametrize("record_type", ["A", "AAAA"])
def test_alias_records(assembly, record_type):
    zone_id, _ = assembly.one(GLOBAL, "AWS::Route53::HostedZone", Name="shop.example.com.")
    dist_id = next(iter(assembly.resources(EDGE, "AWS::CloudFront::Distribution")))
    assembly.template(EDGE).has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "shop.example.com.",
            "Type": record_type,
            "HostedZoneId": assembly.import_of(GLOBAL, zone_id),
            "AliasTarget": {
                "DNSName": {"Fn::GetAtt": [dist_id, "DomainName"]},
                "HostedZoneId": Match.any_value(),
            },
        },
    )
