"""cdk-nag: run the AwsSolutions pack on the app, apply the spec's suppressions, read back the findings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

from archkit.cdk.context import BuildContext
from archkit.spec.placeholders import resolve_placeholders

_FINDING = re.compile(r"^(?P<rule>[A-Za-z]+-[A-Za-z0-9]+)(\[(?P<finding>.*)\])?: (?P<message>.*)$", re.S)


@dataclass(frozen=True, order=True)
class NagFinding:
    """One unsuppressed cdk-nag error (or warning) from the synthesized assembly."""

    level: str
    rule: str
    path: str
    finding: str
    message: str

    def __str__(self) -> str:
        what = f"[{self.finding}]" if self.finding else ""
        return f"{self.rule}{what} at {self.path}: {self.message.splitlines()[0]}"


def expand(finding: str, ctx: BuildContext) -> str:
    """Fill ``${region}``, ``${project}``, ``${environment}``, ``${tables.<k>.name}`` and
    ``${buckets.<k>.name}`` in a finding id, so one suppression fits every environment."""
    return resolve_placeholders(ctx.spec, finding)


def apply_nag(app: cdk.App, stacks: list[cdk.Stack], ctx: BuildContext) -> None:
    """Register the AwsSolutions pack and acknowledge each entry of ``spec.compliance.nag_suppressions``.

    An entry with ``applies_to`` acknowledges only those findings (``AwsSolutions-IAM5[Resource::*]``);
    one with ``resource`` only on the constructs implementing that spec path, else on every stack.
    """
    for entry in ctx.spec.compliance.nag_suppressions:
        ids = [f"{entry.rule}[{expand(finding, ctx)}]" for finding in entry.applies_to] or [entry.rule]
        scopes: list[IConstruct] = (
            list(stacks) if entry.resource is None else ctx.registry.get(entry.resource, [])
        )
        for scope in scopes:
            for rule_id in ids:
                cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule_id, reason=entry.reason))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=False))


def read_findings(outdir: Path) -> list[NagFinding]:
    """cdk-nag errors and warnings recorded in the assembly's stack metadata."""
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    found: set[NagFinding] = set()
    for artifact in manifest.get("artifacts", {}).values():
        metadata = artifact.get("metadata") or {}
        if "metadataFile" in artifact.get("properties", {}) or not metadata:
            path = outdir / f"{artifact.get('displayName', '')}.metadata.json"
            if path.is_file():
                metadata = json.loads(path.read_text(encoding="utf-8"))
        for construct_path, entries in metadata.items():
            for entry in entries:
                level = {"aws:cdk:error": "error", "aws:cdk:warning": "warning"}.get(entry.get("type", ""))
                data = entry.get("data")
                if level is None or not isinstance(data, str):
                    continue
                match = _FINDING.match(data)
                if match is None or not match.group("rule").startswith("AwsSolutions-"):
                    continue
                found.add(
                    NagFinding(
                        level,
                        match.group("rule"),
                        construct_path,
                        match.group("finding") or "",
                        match.group("message"),
                    )
                )
    return sorted(found)
