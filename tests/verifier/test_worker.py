"""The verifier's worker run in-process against the emulator: it assumes the target's role, verifies the
deployed reference, writes its reports and the spec to S3 and imports the findings into Security Hub; an
unreadable target still gets its report, then fails the invocation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from archkit.verifier import worker
from archkit.verify.report.json_report import report_dict
from shared import REFERENCE, emulator_credentials

BUCKET = "archkit-verifier-reports-test"
RUN = "2025-06-01T00-00-00Z"


@pytest.fixture(scope="module")
def configured(reference_account):
    with emulator_credentials(), pytest.MonkeyPatch.context() as patch:
        s3 = reference_account.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        for name, value in {
            worker.ENV_SPEC: str(REFERENCE),
            worker.ENV_BUCKET: BUCKET,
            worker.ENV_ENDPOINT: reference_account.endpoint,
            worker.ENV_CALLS_PER_SECOND: "0",
        }.items():
            patch.setenv(name, value)
        yield s3


def event(account: str) -> dict[str, Any]:
    return {
        "target": {
            "environment": "prod",
            "account": account,
            "region": "us-east-1",
            "role_name": "archkit-verify",
        },
        "run_id": RUN,
    }


def test_worker_writes_the_report_the_spec_and_imports_findings(configured, reference_account, reference_run):
    account = reference_account.account_id
    result = worker.handler(event(account))
    prefix = f"reports/{RUN}/prod/{account}/us-east-1/"
    assert result["reports"] == [f"{prefix}reference.yaml", f"{prefix}report.json", f"{prefix}report.sarif"]
    assert result["exit_code"] == 0 and result["deployment"]["account"] == account
    listed = configured.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["Contents"]
    assert sorted(o["Key"] for o in listed) == result["reports"]
    head = configured.head_object(Bucket=BUCKET, Key=f"{prefix}report.json")
    assert head["ServerSideEncryption"] == "aws:kms"
    stored = json.loads(configured.get_object(Bucket=BUCKET, Key=f"{prefix}report.json")["Body"].read())
    assert stored["findings"] == report_dict(reference_run.report)["findings"]
    spec = configured.get_object(Bucket=BUCKET, Key=f"{prefix}reference.yaml")["Body"].read().decode()
    assert spec == REFERENCE.read_text(encoding="utf-8")
    assert result["security_hub"]["failed"] == 0
    assert result["security_hub"]["created"] + result["security_hub"]["updated"] == len(stored["findings"])


def test_an_unreadable_target_fails_after_writing_its_report(configured, reference_account, monkeypatch):
    from archkit.verify.collect.aws import Aws

    monkeypatch.setattr(
        Aws, "caller_account", lambda self: "000000000000"
    )  # the role answers as another account
    with pytest.raises(worker.TargetUnreadable) as caught:
        worker.handler(event("444444444444"))
    failed = json.loads(str(caught.value))
    assert failed["exit_code"] == 3 and "not 444444444444" in failed["error"]
    key = f"reports/{RUN}/prod/444444444444/us-east-1/report.json"
    stored = json.loads(configured.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    assert {f["reason"] for f in stored["findings"]} == {"AccessDenied"}
    assert "security_hub" not in failed
