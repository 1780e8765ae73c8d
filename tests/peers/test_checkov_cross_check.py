"""checkov 3.3.30 on archkit's synthesized templates: every failed check is the counterpart of an archkit
finding, a suppression with its reason in the spec, or a committed not-applicable entry. A new failed check
fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from archkit.peers.checkov import (
    NOT_APPLICABLE,
    acknowledgments,
    classify,
    failed_checks,
    static_findings,
)
from archkit.verify.rules.registry import all_rules

from .conftest import SPECS, run_checkov, spec_id, static_report

pytestmark = [pytest.mark.peers, pytest.mark.slow, pytest.mark.xdist_group("peers")]


@pytest.fixture(scope="module")
def verdicts(checkov: Path, synthesized: dict[str, Path]) -> dict[str, list]:
    out = {}
    for spec in SPECS:
        cdk_out = synthesized[spec_id(spec)]
        out[spec_id(spec)] = classify(
            failed_checks(run_checkov(checkov, cdk_out), cdk_out),
            rules=[r.meta for r in all_rules()],
            findings=static_findings(static_report(spec)),
            acks=acknowledgments(cdk_out),
        )
    return out


@pytest.mark.parametrize("spec", [spec_id(s) for s in SPECS])
def test_every_failed_check_is_explained(verdicts, spec):
    unexplained = [
        f"{v.failed.check} {v.failed.resource_type} {v.failed.stack}/{v.failed.construct_path}"
        for v in verdicts[spec]
        if v.category == "unexplained"
    ]
    assert unexplained == []


def test_the_seven_holes_stay_closed(verdicts):
    """What checkov found in the reference before: a bastion with a public IP and an unscoped service
    permission; neither may come back, in any environment."""
    failing = {(v.failed.check, v.failed.construct_path) for vs in verdicts.values() for v in vs}
    assert {check for check, _ in failing} & {"CKV_AWS_88", "CKV_AWS_364"} == set()


def test_suppressions_are_read_from_the_spec_and_the_assembly(verdicts):
    by_check = {}
    for v in verdicts["reference-prod"]:
        by_check.setdefault(v.failed.check, set()).add((v.category, v.failed.spec_path))
    # compliance.suppressions: ARCH-S3-005 on the logs bucket is checkov's CKV_AWS_18.
    assert by_check["CKV_AWS_18"] == {("suppressed", "buckets.logs")}
    # compliance.nag_suppressions: AwsSolutions-IAM5 (ARCH-IAM-001) covers checkov's CKV_AWS_111.
    assert {category for category, _ in by_check["CKV_AWS_111"]} == {"suppressed"}


def test_every_not_applicable_entry_is_used(verdicts):
    """An entry no failure needs any more is stale: remove it rather than let it hide a future failure."""
    used = {v.explanation for vs in verdicts.values() for v in vs if v.category == "not_applicable"}
    assert sorted(e.check for e in NOT_APPLICABLE if e.reason not in used) == []
