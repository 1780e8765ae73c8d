"""`--to-security-hub`: a deployment's findings imported into its account's Security Hub, kept in step.

Security Hub takes a custom product's findings only from the account they are about, so the import runs
with the deployment's own session (the member role; the one write verify makes, outside the read-only
client guard, on the account's default product only). Finding ids are stable (`report.asff.finding_id`):

- a finding seen before is updated in place (its `CreatedAt` kept; `Workflow` and `Note` are the security
  team's and are never sent again);
- a finding of this deployment that is no longer reported is re-imported `ARCHIVED` (and `PASSED` for a
  compliance check), from which Security Hub sets its workflow to `RESOLVED`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archkit.verify.findings import Report
from archkit.verify.report.asff import asff_findings, id_prefix, product_arn, timestamp

BATCH = 100
"""Findings per BatchImportFindings request (the API's limit)."""
CUSTOMER_FIELDS = ("Workflow", "Note", "UserDefinedFields", "VerificationState")
"""Fields Security Hub leaves to its users once a finding exists."""
IMPORT_ACTIONS = ("securityhub:BatchImportFindings", "securityhub:GetFindings")
"""What the import needs in the member account, on its default product only (`--print-iam-role`)."""


@dataclass
class ImportResult:
    created: list[str]
    updated: list[str]
    resolved: list[str]
    failed: list[dict[str, Any]]


def client_for(aws: Any, region: str) -> Any:
    """A Security Hub client on the deployment's session (not verify's guarded read-only clients)."""
    return aws.session().client("securityhub", region_name=region, endpoint_url=aws.options.endpoint_url)


def active_findings(client: Any, prefix: str, product: str) -> dict[str, dict[str, Any]]:
    """This deployment's active archkit findings by id (filtered here too: an emulator may ignore filters)."""
    filters = {
        "Id": [{"Value": prefix, "Comparison": "PREFIX"}],
        "ProductArn": [{"Value": product, "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
    }
    found: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("get_findings").paginate(Filters=filters):
        for finding in page["Findings"]:
            if finding["Id"].startswith(prefix) and finding.get("RecordState", "ACTIVE") == "ACTIVE":
                found[finding["Id"]] = finding
    return found


def _resolved(previous: dict[str, Any], now: str) -> dict[str, Any]:
    finding = {k: v for k, v in previous.items() if k not in CUSTOMER_FIELDS}
    finding["RecordState"] = "ARCHIVED"
    finding["UpdatedAt"] = now
    if "Compliance" in finding:
        finding["Compliance"] = {"Status": "PASSED"}
    return finding


def import_report(
    client: Any, deployment: dict[str, str], report: Report, now: str | None = None
) -> ImportResult:
    """Import one deployment's report; resolve its findings that are gone."""
    stamp = now or timestamp()
    prefix = id_prefix(report.project, deployment)
    existing = active_findings(client, prefix, product_arn(deployment["account"], deployment["region"]))
    batch: list[dict[str, Any]] = []
    created, updated = [], []
    for finding in asff_findings([(deployment, report)], stamp):
        previous = existing.get(finding["Id"])
        if previous is None:
            created.append(finding["Id"])
        else:
            finding = {k: v for k, v in finding.items() if k not in CUSTOMER_FIELDS}
            finding["CreatedAt"] = previous.get("CreatedAt", stamp)
            updated.append(finding["Id"])
        batch.append(finding)
    seen = {f["Id"] for f in batch}
    resolved = sorted(i for i in existing if i not in seen)
    batch += [_resolved(existing[i], stamp) for i in resolved]
    failed: list[dict[str, Any]] = []
    for start in range(0, len(batch), BATCH):
        answer = client.batch_import_findings(Findings=batch[start : start + BATCH])
        failed += answer.get("FailedFindings", [])
    return ImportResult(created=created, updated=updated, resolved=resolved, failed=failed)
