"""The verifier's Lambda worker: one target (environment, account, region) per invocation.

It assumes the target's role, verifies the deployment against the spec bundled with it, writes the JSON
and SARIF reports and the spec they were checked against to the (encrypted) report bucket, and imports
the findings into the target account's Security Hub. A target that cannot be read still gets its report,
then the invocation fails, so the state machine sends it to the failure topic.

Event: ``{"target": {"environment", "account", "region", "role_name"}, "run_id": "2025-06-01T00:00:00Z"}``.
Configuration (environment variables): see the ``ENV_*`` names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV_SPEC = "ARCHKIT_SPEC"
"""The spec inside the bundle (archkit's own default-spec variable)."""
ENV_BUCKET = "ARCHKIT_REPORT_BUCKET"
ENV_KEY = "ARCHKIT_REPORT_KEY_ARN"
"""KMS key the reports are encrypted with (the bucket's default key when unset)."""
ENV_SECURITY_HUB = "ARCHKIT_SECURITY_HUB"
ENV_FAIL_ON = "ARCHKIT_FAIL_ON"
ENV_ENDPOINT = "ARCHKIT_ENDPOINT_URL"
"""An emulator's endpoint (tests, benchmarks); unset on AWS."""
ENV_CALLS_PER_SECOND = "ARCHKIT_CALLS_PER_SECOND"
REPORTS_PREFIX = "reports"


class TargetUnreadable(Exception):
    """The target could not be (fully) read: its report is written, and the run is marked failed."""


def report_prefix(run_id: str, target_key: str) -> str:
    return f"{REPORTS_PREFIX}/{run_id}/{target_key}/"


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    import boto3

    from archkit.spec import load_environments
    from archkit.verify.org import aws_for, verify_target
    from archkit.verify.report import render
    from archkit.verify.report.asff import timestamp
    from archkit.verify.targets import DEFAULT_ROLE_NAME, Target

    spec_path = Path(os.environ[ENV_SPEC])
    bucket = os.environ[ENV_BUCKET]
    endpoint = os.environ.get(ENV_ENDPOINT) or None
    fail_on = os.environ.get(ENV_FAIL_ON, "medium")
    raw = event["target"]
    target = Target(
        raw["environment"], raw["account"], raw["region"], raw.get("role_name") or DEFAULT_ROLE_NAME
    )
    run_id = event.get("run_id") or timestamp()

    spec = load_environments(spec_path)[target.environment]
    aws = aws_for(
        target,
        endpoint_url=endpoint,
        calls_per_second=float(os.environ.get(ENV_CALLS_PER_SECOND, "20")),
    )
    run = verify_target(spec, spec_path.name, target, fail_on, aws)  # type: ignore[arg-type]

    s3 = boto3.client("s3", endpoint_url=endpoint)  # the worker's own role, in the tooling account
    encryption: dict[str, str] = {"ServerSideEncryption": "aws:kms"}
    if os.environ.get(ENV_KEY):
        encryption["SSEKMSKeyId"] = os.environ[ENV_KEY]
    prefix = report_prefix(run_id, target.key)
    objects = {
        f"{prefix}report.json": render(run.report, "json"),
        f"{prefix}report.sarif": render(run.report, "sarif"),
        f"{prefix}{spec_path.name}": spec_path.read_text(encoding="utf-8"),
    }
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body.encode(), **encryption)

    result: dict[str, Any] = {
        "deployment": target.deployment(),
        "exit_code": run.exit_code,
        "summary": run.report.summary.model_dump(),
        "reports": sorted(objects),
    }
    if os.environ.get(ENV_SECURITY_HUB, "true") == "true" and run.error is None:
        from archkit.verify.securityhub import client_for, import_report

        imported = import_report(client_for(aws, target.region), target.deployment(), run.report)
        result["security_hub"] = {
            "created": len(imported.created),
            "updated": len(imported.updated),
            "resolved": len(imported.resolved),
            "failed": len(imported.failed),
        }
    if run.error is not None:
        raise TargetUnreadable(json.dumps({**result, "error": run.error}))
    return result
