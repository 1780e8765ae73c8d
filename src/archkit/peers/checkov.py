"""checkov against archkit: every check checkov fails on archkit's synthesized templates must be explained.

A failed check is explained when it is
- ``archkit``: the counterpart of a failing archkit rule on the same resource (the rule lists the check id
  in ``counterparts.checkov`` and ``archkit verify --static`` fails it on the resource's spec path);
- ``suppressed``: the counterpart of a rule suppressed for that resource, in the spec (``compliance.
  suppressions``, seen as a suppressed static finding) or as an acknowledged cdk-nag counterpart of the rule
  (``compliance.nag_suppressions``, or archkit's own acknowledgment of a CDK construct) covering it;
- ``not_applicable``: listed in :data:`NOT_APPLICABLE` with the reason.
Anything else is ``unexplained``: a gap in archkit's rules or a new hole in what it generates.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from archkit.spec.conventions import CDK_CUSTOM_RESOURCE_PROVIDER, NOTIFICATIONS_HANDLER
from archkit.spec.naming import ID_TAG

CHECKOV_VERSION = "3.3.30"
"""The version pinned by requirements/peers/checkov.lock, whose results this module's lists describe."""


@dataclass(frozen=True)
class NotApplicable:
    """A checkov check that does not apply to what archkit generates, and why."""

    check: str
    reason: str
    resources: str = "*"
    """fnmatch pattern over the failing resource's construct path below its stack (``Api/StageWebAcl``)."""

    def covers(self, check: str, construct_path: str) -> bool:
        return check == self.check and fnmatch.fnmatchcase(construct_path, self.resources)


_CUSTOM_RESOURCE_PROVIDER = f"{CDK_CUSTOM_RESOURCE_PROVIDER}/*"
"""CDK's AwsCustomResource provider function and its children (one per stack)."""

_NOTIFICATIONS_HANDLER = f"{NOTIFICATIONS_HANDLER}*"
"""CDK's bucket-notifications handler function and its role (one per stack with notifications)."""

NOT_APPLICABLE: tuple[NotApplicable, ...] = (
    NotApplicable(
        "CKV_AWS_116",
        "A dead-letter queue receives failed asynchronous invocations only. archkit's functions are invoked "
        "synchronously (API Gateway, the load balancer, the authorizer, Secrets Manager rotation, CDK's "
        "custom-resource provider) or by a stream event source mapping, whose failures go to the mapping's "
        "own on-failure destination (ARCH-LAM-005).",
    ),
    NotApplicable(
        "CKV_AWS_173",
        "Lambda encrypts environment variables at rest with its service key. archkit's environments hold "
        "names, URLs and secrets' ARNs only (ARCH-LAM-002 and ARCH-LAM-003 keep secret values out of them), "
        "so a customer key would protect nothing secret.",
    ),
    NotApplicable(
        "CKV_AWS_158",
        "CloudWatch Logs encrypts every log group at rest with keys it manages. archkit adds a customer key "
        "where the logs carry client data the application does not mask: the WAF request logs "
        "(edge.waf.logging). Function, API access and flow logs are covered by security.data.data_masking.",
    ),
    NotApplicable(
        "CKV_AWS_27",
        "checkov reads only KmsMasterKeyId; archkit's queues are encrypted with SQS-managed keys "
        "(SqsManagedSseEnabled: true), which checkov does not read.",
    ),
    NotApplicable(
        "CKV_AWS_120",
        "Responses are per caller (JWT authorizer, API keys) and CloudFront's API behaviour disables caching "
        "on purpose: a stage cache not keyed by the caller's token would serve one caller's data to another.",
    ),
    NotApplicable(
        "CKV_AWS_118",
        "Enhanced Monitoring (operating-system metrics every few seconds, through an extra role with an "
        "AWS-managed policy) is an operations choice, not a control of the seed's security layers; the "
        "standard RDS metrics are on.",
    ),
    NotApplicable(
        "CKV_AWS_192",
        "The stage's regional web ACL admits only requests that came through CloudFront (api.origin_verify), "
        "whose web ACL already runs the known-bad-inputs rule group (Log4j, ARCH-WAF-006).",
        resources="Api/StageWebAcl",
    ),
    NotApplicable(
        "CKV_AWS_115",
        "CDK's custom-resource provider runs only while CloudFormation deploys (it revokes the default "
        "security group's rules); CloudFormation bounds its concurrency.",
        resources=_CUSTOM_RESOURCE_PROVIDER,
    ),
    NotApplicable(
        "CKV_AWS_117",
        "CDK's custom-resource provider calls only the EC2 API while CloudFormation deploys; it reads and "
        "holds no data a VPC would protect.",
        resources=_CUSTOM_RESOURCE_PROVIDER,
    ),
    NotApplicable(
        "CKV_AWS_115",
        "CDK's bucket-notifications handler runs only while CloudFormation deploys (it applies a bucket's "
        "notification configuration); CloudFormation bounds its concurrency.",
        resources=_NOTIFICATIONS_HANDLER,
    ),
    NotApplicable(
        "CKV_AWS_117",
        "CDK's bucket-notifications handler calls only the S3 API while CloudFormation deploys; it reads and "
        "holds no data a VPC would protect.",
        resources=_NOTIFICATIONS_HANDLER,
    ),
)
"""checkov checks that fail on archkit's output by design, each with its reason (the docs show them)."""

Category = Literal["archkit", "suppressed", "not_applicable", "unexplained"]


@dataclass(frozen=True)
class FailedCheck:
    """One check checkov failed, located in the assembly."""

    check: str
    resource_type: str
    logical_id: str
    stack: str
    construct_path: str
    """Below the stack: ``Network/Bastion/Resource``."""
    spec_path: str | None
    """The resource's ``archkit:id`` tag, when it has one."""


@dataclass(frozen=True)
class Verdict:
    failed: FailedCheck
    category: Category
    explanation: str


@dataclass(frozen=True)
class StaticFinding:
    """A compliance finding of ``archkit verify --static`` (failing or suppressed)."""

    rule_id: str
    resource: str
    suppression: str | None


def failed_checks(report: Any, cdk_out: Path) -> list[FailedCheck]:
    """The failed checks of checkov's JSON report (``-o json``) on the templates of ``cdk_out``."""
    runs = report if isinstance(report, list) else [report]
    out: list[FailedCheck] = []
    templates: dict[str, dict[str, Any]] = {}
    for run in runs:
        for item in run.get("results", {}).get("failed_checks", []):
            name = Path(item["file_path"]).name
            if name not in templates:
                templates[name] = json.loads((cdk_out / name).read_text(encoding="utf-8"))
            resource_type, _, logical_id = item["resource"].partition(".")
            resource = templates[name]["Resources"][logical_id]
            stack, _, below = resource.get("Metadata", {}).get("aws:cdk:path", "").partition("/")
            tags = resource.get("Properties", {}).get("Tags")
            spec_path = None
            if isinstance(tags, list):
                spec_path = next((t["Value"] for t in tags if t.get("Key") == ID_TAG), None)
            elif isinstance(tags, dict):
                spec_path = tags.get(ID_TAG)
            out.append(FailedCheck(item["check_id"], resource_type, logical_id, stack, below, spec_path))
    return sorted(set(out), key=lambda f: (f.check, f.stack, f.logical_id))


_ACK_RULE = re.compile(r"(AwsSolutions-[A-Za-z0-9]+)")


def acknowledgments(cdk_out: Path) -> dict[str, dict[str, list[str]]]:
    """cdk-nag acknowledgments recorded in the assembly: construct path -> {cdk-nag rule id: reasons} (one
    rule may be acknowledged for several findings, ``AwsSolutions-IAM5[Resource::*]`` and others)."""
    found: dict[str, dict[str, list[str]]] = {}
    for path in sorted(cdk_out.glob("*.metadata.json")):
        for construct_path, entries in json.loads(path.read_text(encoding="utf-8")).items():
            for entry in entries:
                if entry.get("type") != "aws:cdk:acknowledged-rules":
                    continue
                for key, reason in (entry.get("data") or {}).items():
                    match = _ACK_RULE.search(key)
                    if match:
                        found.setdefault(construct_path.strip("/"), {}).setdefault(match.group(1), []).append(
                            reason
                        )
    return found


def static_findings(report: Mapping[str, Any]) -> list[StaticFinding]:
    """The compliance findings of ``archkit verify --static --format json``."""
    return [
        StaticFinding(f["rule_id"], f["resource"], f.get("suppression") if f.get("suppressed") else None)
        for f in report.get("findings", [])
        if f.get("kind") == "compliance" and f.get("rule_id")
    ]


def counterpart_rules(rules: Iterable[Any]) -> dict[str, list[Any]]:
    """checkov check id -> the archkit rules (metadata) naming it as a counterpart."""
    out: dict[str, list[Any]] = {}
    for meta in rules:
        for check in meta.counterparts.checkov:
            out.setdefault(check, []).append(meta)
    return out


def classify(
    failed: Sequence[FailedCheck],
    *,
    rules: Iterable[Any],
    findings: Sequence[StaticFinding],
    acks: Mapping[str, Mapping[str, Sequence[str]]],
    not_applicable: Sequence[NotApplicable] = NOT_APPLICABLE,
) -> list[Verdict]:
    """Explain each failed check (see the module docstring), in the order given."""
    by_check = counterpart_rules(rules)
    verdicts = []
    for f in failed:
        verdicts.append(_explain(f, by_check.get(f.check, []), findings, acks, not_applicable))
    return verdicts


def _explain(
    f: FailedCheck,
    metas: Sequence[Any],
    findings: Sequence[StaticFinding],
    acks: Mapping[str, Mapping[str, Sequence[str]]],
    not_applicable: Sequence[NotApplicable],
) -> Verdict:
    for meta in metas:
        for finding in findings:
            if finding.rule_id == meta.id and f.spec_path is not None and finding.resource == f.spec_path:
                if finding.suppression is None:
                    return Verdict(f, "archkit", f"{meta.id} fails on {f.spec_path}")
                return Verdict(
                    f, "suppressed", f"{meta.id} suppressed on {f.spec_path}: {finding.suppression}"
                )
        full = f"{f.stack}/{f.construct_path}"
        for scope, rules in acks.items():
            if full != scope and not full.startswith(scope + "/"):
                continue
            for nag in meta.counterparts.cdk_nag:
                if nag in rules:
                    reasons = " / ".join(rules[nag])
                    return Verdict(f, "suppressed", f"{nag} ({meta.id}) acknowledged at {scope}: {reasons}")
    for entry in not_applicable:
        if entry.covers(f.check, f.construct_path):
            return Verdict(f, "not_applicable", entry.reason)
    return Verdict(
        f, "unexplained", f"no archkit rule, suppression or not-applicable entry explains {f.check}"
    )
