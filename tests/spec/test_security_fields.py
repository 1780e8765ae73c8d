"""The spec fields closing the reference's holes: a private bastion, origin verification, per-method IP allow
lists, WAF logging and the default security group; old specs keep their meaning."""

from __future__ import annotations

from archkit.spec import parse_spec_text

from .spec_helpers import REFERENCE, text_issues

BASE = """project: notes
owner: notes-team
availability_zones: [us-east-1a, us-east-1b]
edge: {dns: {enabled: false}, cdn: {enabled: false}, waf: {enabled: false}}
network:
  public_subnets: [{az: us-east-1a, cidr: 10.0.0.0/24}, {az: us-east-1b, cidr: 10.0.1.0/24}]
  private_subnets: [{az: us-east-1a, cidr: 10.0.10.0/24}, {az: us-east-1b, cidr: 10.0.11.0/24}]
  nat_gateways: {nat}
  security_groups: {bastion: {description: Bastion}}
  bastion: {bastion}
"""


def _spec(bastion: str, nat: int = 1) -> str:
    return BASE.replace("{bastion}", bastion).replace("{nat}", str(nat))


def _messages(text: str) -> list[tuple[str, str]]:
    return [(i.path, i.message) for i in text_issues(text)]


def test_bastion_defaults_keep_the_old_placement():
    spec = parse_spec_text(_spec("{enabled: true, security_group: bastion}"), "spec.yaml")
    assert (spec.network.bastion.subnet, spec.network.bastion.public_ip) == ("public", True)
    assert spec.network.restrict_default_security_group is False
    assert spec.edge.waf.logging.enabled is False
    assert spec.api.origin_verify is None


def test_a_private_bastion_has_no_public_address_unless_asked():
    spec = parse_spec_text(_spec("{enabled: true, subnet: private, security_group: bastion}"), "spec.yaml")
    assert (spec.network.bastion.subnet, spec.network.bastion.public_ip) == ("private", False)


def test_a_private_bastion_with_a_public_address_is_refused():
    text = _spec("{enabled: true, subnet: private, public_ip: true, security_group: bastion}")
    assert _messages(text) == [
        (
            "network.bastion.public_ip",
            "a host in a private subnet cannot use a public address: remove public_ip",
        )
    ]


def test_a_private_bastion_needs_a_way_to_session_manager():
    text = _spec("{enabled: true, subnet: private, security_group: bastion}", nat=0)
    (issue,) = text_issues(text)
    assert (issue.path, issue.line) == ("network.bastion.subnet", 10)
    assert issue.message.endswith("needs NAT gateways or the endpoints ssm, ssmmessages, ec2messages")


def test_origin_verify_needs_cloudfront_and_a_secret_that_does_not_rotate():
    text = (
        _spec("{enabled: false}")
        + """functions: {rot: {handler: a.b, code: lambda/app, vpc: false}}
secrets:
  verify: {description: Origin header, rotation: {days: 30, function: rot}}
api:
  origin_verify: {secret: verify}
"""
    )
    messages = _messages(text)
    assert (
        "api.origin_verify",
        "origin verification needs CloudFront in front of the API: enable edge.cdn",
    ) in (messages)
    assert any(path == "secrets.verify.rotation" and "cannot rotate on its own" in m for path, m in messages)


def test_reference_closes_the_holes():
    from archkit.spec import load_spec

    spec = load_spec(REFERENCE)
    assert spec.network.alb.internet_facing is False
    assert (spec.network.bastion.subnet, spec.network.bastion.public_ip) == ("private", False)
    assert spec.network.restrict_default_security_group is True
    assert spec.edge.waf.logging.enabled is True
    assert spec.api.origin_verify is not None and spec.api.origin_verify.secret == "origin_verify"
    partner = {(p, v): m.ip_allow_list for p, v, m in spec.api.methods() if m.api_key_required}
    assert partner == {
        ("/api/items", "GET"): ["203.0.113.0/24", "198.51.100.0/24"],
        ("/api/items", "POST"): ["203.0.113.0/24", "198.51.100.0/24"],
    }
