"""The Prowler ids in the rules' counterparts are real Prowler AWS checks (a committed, dated list: Prowler
is too heavy to install as a test dependency)."""

from __future__ import annotations

from pathlib import Path

from archkit.verify.rules.registry import all_rules

LIST = Path(__file__).with_name("prowler_aws_checks.txt")


def _prowler_checks() -> set[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_the_list_is_prowlers():
    checks = _prowler_checks()
    assert len(checks) > 500
    assert {"ec2_securitygroup_default_restrict_traffic", "wafv2_webacl_logging_enabled"} <= checks


def test_every_prowler_counterpart_is_a_prowler_check():
    checks = _prowler_checks()
    unknown = [f"{r.id} {p}" for r in all_rules() for p in r.meta.counterparts.prowler if p not in checks]
    assert unknown == []
