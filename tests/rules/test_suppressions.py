"""Suppressions: visible as suppressed, expiring into a finding, and an unknown rule id is a spec error."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from tests.rules.conftest import REFERENCE, ROOT, TODAY

BAD_FIXTURE = ROOT / "tests" / "fixtures" / "specs" / "bad" / "unknown_suppression_rule.yaml"
PITR_OFF = {"tables.main.point_in_time_recovery": False}


def _suppress(until: dt.date | None, rule: str = "ARCH-DDB-001", resource: str = "tables.main") -> dict:
    entry = {"rule": rule, "resource": resource, "reason": "Restores come from the nightly export instead."}
    if until is not None:
        entry["expires"] = until.isoformat()
    return entry


def _findings(variant, suppressions: list[dict]):
    from archkit.verify.rules.engine import to_finding

    results = variant({**PITR_OFF, "compliance.suppressions": suppressions})
    return [to_finding(r) for r in results if r.status == "fail"]


def test_suppressed_finding_stays_visible_as_suppressed(variant) -> None:
    findings = _findings(variant, [_suppress(None)])
    (pitr,) = [f for f in findings if f.rule_id == "ARCH-DDB-001"]
    assert (pitr.resource, pitr.suppressed) == ("tables.main", True)
    assert pitr.suppression == "Restores come from the nightly export instead."


def test_suppression_valid_through_its_expiry_date(variant) -> None:
    findings = _findings(variant, [_suppress(TODAY)])
    (pitr,) = [f for f in findings if f.rule_id == "ARCH-DDB-001"]
    assert pitr.suppressed is True
    assert pitr.suppression == f"Restores come from the nightly export instead. (until {TODAY.isoformat()})"
    assert not [f for f in findings if f.rule_id == "ARCH-GOV-001"]


def test_expired_suppression_is_a_finding_and_stops_suppressing(variant) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    findings = _findings(variant, [_suppress(None, "ARCH-S3-005", "buckets.logs"), _suppress(yesterday)])
    (pitr,) = [f for f in findings if f.rule_id == "ARCH-DDB-001"]
    assert pitr.suppressed is False
    (expired,) = [f for f in findings if f.rule_id == "ARCH-GOV-001"]
    assert (expired.resource, expired.attribute, expired.actual) == (
        "compliance.suppressions.1",
        "expires",
        yesterday.isoformat(),
    )
    assert expired.suppressed is False


def test_wildcard_resource_suppresses_every_resource(variant) -> None:
    results = variant(
        {
            "functions.get_user.reserved_concurrency": None,
            "functions.auth.reserved_concurrency": None,
            "compliance.suppressions": [_suppress(None, "ARCH-LAM-004", "*")],
        }
    )
    failing = {
        r.resource: r.suppressed for r in results if r.rule_id == "ARCH-LAM-004" and r.status == "fail"
    }
    assert failing == {"functions.get_user": True, "functions.auth": True}


def test_suppression_of_another_resource_does_not_apply(variant) -> None:
    findings = _findings(variant, [_suppress(None, "ARCH-DDB-001", "buckets.assets")])
    (pitr,) = [f for f in findings if f.rule_id == "ARCH-DDB-001"]
    assert pitr.suppressed is False


def test_unknown_rule_id_is_a_located_spec_error_with_a_suggestion() -> None:
    from archkit.spec import SpecError, load_spec

    with pytest.raises(SpecError) as caught:
        load_spec(BAD_FIXTURE)
    (issue,) = caught.value.issues
    assert issue.path == "compliance.suppressions.0.rule"
    assert (Path(issue.file or "").name, issue.line) == ("unknown_suppression_rule.yaml", 11)
    assert issue.message == "unknown rule id 'ARCH-DBD-001'; did you mean 'ARCH-DDB-001'?"


def test_validate_cli_exits_2_on_an_unknown_rule_id() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "archkit", "validate", str(BAD_FIXTURE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "unknown_suppression_rule.yaml:11:" in proc.stderr
    assert "did you mean 'ARCH-DDB-001'?" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_reference_suppression_names_a_failing_finding(reference_results) -> None:
    """The reference spec's suppressions are all in use: each accepts a real failure (none is stale)."""
    from archkit.spec import load_spec

    spec = load_spec(REFERENCE)
    used = {r.suppression_index for r in reference_results if r.suppressed}
    assert used == set(range(len(spec.compliance.suppressions)))
    unsuppressed = [
        (r.rule_id, r.resource) for r in reference_results if r.status == "fail" and not r.suppressed
    ]
    assert unsuppressed == []
