"""Facts about AWS regions that CDK cannot know offline: availability zones and managed prefix lists.

A spec is synthesized without credentials, so these tables let archkit reject an impossible spec
(an AZ the region does not have) before CDK runs, instead of failing at deploy time.
"""

from __future__ import annotations

from archkit.spec.conventions import GLOBAL_REGION, MANAGED_PREFIX_LISTS

EDGE_REGION = GLOBAL_REGION
"""CloudFront's certificate and its WAF web ACL (scope CLOUDFRONT) must live here."""

# Availability-zone letters per region, and how many of them one account can use.
AZ_LETTERS: dict[str, tuple[str, int]] = {
    "us-east-1": ("abcdef", 6),
    "us-east-2": ("abc", 3),
    "us-west-1": ("abc", 2),  # each account sees two of the three
    "us-west-2": ("abcd", 4),
    "ca-central-1": ("abd", 3),
    "ca-west-1": ("abc", 3),
    "sa-east-1": ("abc", 3),
    "eu-west-1": ("abc", 3),
    "eu-west-2": ("abc", 3),
    "eu-west-3": ("abc", 3),
    "eu-central-1": ("abc", 3),
    "eu-central-2": ("abc", 3),
    "eu-north-1": ("abc", 3),
    "eu-south-1": ("abc", 3),
    "eu-south-2": ("abc", 3),
    "ap-northeast-1": ("acd", 3),
    "ap-northeast-2": ("abcd", 4),
    "ap-northeast-3": ("abc", 3),
    "ap-southeast-1": ("abc", 3),
    "ap-southeast-2": ("abc", 3),
    "ap-southeast-3": ("abc", 3),
    "ap-southeast-4": ("abc", 3),
    "ap-south-1": ("abc", 3),
    "ap-south-2": ("abc", 3),
    "ap-east-1": ("abc", 3),
    "me-south-1": ("abc", 3),
    "me-central-1": ("abc", 3),
    "af-south-1": ("abc", 3),
    "il-central-1": ("abc", 3),
}


def prefix_list_id(region: str, service: str) -> str | None:
    """The managed prefix list id of ``service`` (s3 or dynamodb) in ``region``, if archkit knows it."""
    return MANAGED_PREFIX_LISTS.get(region, {}).get(service)
