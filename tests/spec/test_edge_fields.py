"""The edge's newer fields refused the way users get them wrong: CloudFront origins and behaviours, each
message located at the line and column of the value and suggesting the closest name."""

from __future__ import annotations

import pytest
import yaml

from archkit.spec import SpecError, parse_spec_text

SPA = """\
project: notes
owner: web-team
region: eu-west-1
availability_zones: [eu-west-1a, eu-west-1b]
network: {nat_gateways: 0, flow_logs: {enabled: false}}
functions:
  list_notes: {handler: notes.list_notes, vpc: false}
api:
  routes:
    /notes: {GET: list_notes}
buckets:
  app:
    prefixes: [{path: build/}]
    policies: [{sid: CloudFrontApp, principal: cloudfront, access: read, prefix: build/}]
  media:
    prefixes: [{path: media/}]
edge:
  dns: {enabled: false}
  waf: {enabled: false}
  cdn:
    static_bucket: null
    default_origin: buckets.app
    origins:
      partner: {domain_name: partner.example.net}
    behaviors:
      - {path_pattern: /partner/*, origin: origins.partner}
    error_responses:
      - {error_code: 404}
"""


def _located(text: str, needle: str, message: str, offset: int = 0) -> str:
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1 + offset
    return f"spa.yaml:{line}:{col}: {message}"


def test_the_spa_spec_is_valid() -> None:
    spec = parse_spec_text(SPA, "spa.yaml")
    assert spec.edge.cdn.static_bucket is None
    assert [b.origin for b in spec.edge.cdn.behaviors] == ["origins.partner"]
    assert yaml.safe_load(SPA)["edge"]["cdn"]["error_responses"] == [{"error_code": 404}]


@pytest.mark.parametrize(
    ("old", "new", "needle", "offset", "message"),
    [
        (
            "origin: origins.partner}",
            "origin: origins.partnr}",
            "origins.partnr",
            0,
            "edge.cdn.behaviors.0.origin: unknown origin 'origins.partnr'; did you mean 'origins.partner'?",
        ),
        (
            "origin: origins.partner}",
            "origin: buckets.media}",
            "buckets.media}",
            0,
            "edge.cdn.behaviors.0.origin: buckets.media has no policy granting principal cloudfront read; "
            "add one",
        ),
        (
            "    default_origin: buckets.app\n",
            "",
            "static_bucket: null",
            15,
            "edge.cdn.static_bucket: without a static bucket the default behaviour needs "
            "edge.cdn.default_origin",
        ),
        (
            "      - {path_pattern: /partner/*, origin: origins.partner}\n",
            "      - {path_pattern: /partner/*, origin: origins.partner}\n"
            "      - {path_pattern: /partner/*, origin: buckets.app}\n",
            "/partner/*, origin: buckets.app",
            0,
            "edge.cdn.behaviors.1.path_pattern: path pattern /partner/* already has a behaviour",
        ),
        (
            "      - {path_pattern: /partner/*, origin: origins.partner}\n",
            "      - {path_pattern: /notes, origin: origins.partner, cache_policy: CachingOptimised}\n",
            "CachingOptimised",
            0,
            "edge.cdn.behaviors.0.cache_policy: expected one of CachingOptimized, CachingDisabled, "
            "CachingOptimizedForUncompressedObjects, UseOriginCacheControlHeaders, "
            "UseOriginCacheControlHeaders-QueryStrings (got 'CachingOptimised'); "
            "did you mean 'CachingOptimized'?",
        ),
    ],
    ids=["unknown-origin", "bucket-without-grant", "no-default-origin", "duplicate-pattern", "cache-policy"],
)
def test_cloudfront_mistakes_are_located(old: str, new: str, needle: str, offset: int, message: str) -> None:
    assert old in SPA
    text = SPA.replace(old, new, 1)
    with pytest.raises(SpecError) as caught:
        parse_spec_text(text, "spa.yaml")
    assert _located(text, needle, message, offset) in str(caught.value).splitlines()
