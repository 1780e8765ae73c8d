"""cdk-nag: run the AwsSolutions pack on the app, apply the spec's suppressions, read back the findings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, NagPackSuppression, NagSuppressions, RegexAppliesTo

from archkit.cdk.context import BuildContext

REGEX_PREFIX = "regex:"
"""An `applies_to` entry starting with this is a regular expression over finding ids."""

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


def apply_nag(app: cdk.App, stacks: list[cdk.Stack], ctx: BuildContext) -> None:
    """Add the AwsSolutions checks and every suppression of ``spec.compliance.nag_suppressions``."""
    for entry in ctx.spec.compliance.nag_suppressions:
        applies: list[str | RegexAppliesTo] = [
            RegexAppliesTo(regex=a[len(REGEX_PREFIX) :]) if a.startswith(REGEX_PREFIX) else a for a in entry.applies_to
        ]
        suppression = NagPackSuppression(id=entry.rule, reason=entry.reason, applies_to=applies or None)
        if entry.resource is None:
            for stack in stacks:
                NagSuppressions.add_stack_suppressions(stack, [suppression], apply_to_nested_stacks=True)
        else:
            for construct in ctx.registry.get(entry.resource, []):
                NagSuppressions.add_resource_suppressions(construct, [suppression], apply_to_children=True)
    cdk.Aspects.of(app).add(AwsSolutionsChecks(verbose=False, reports=False))


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
                    NagFinding(level, match.group("rule"), construct_path, match.group("finding") or "", match.group("message"))
                )
    return sorted(found)
