"""Deterministic synthesis for ``archkit generate``: preflight, build, synthesize into a staging
directory, check cdk-nag, then swap the cloud assembly into place and write ``cdk.json``.

An unchanged spec (same content hash of spec, code and archkit) skips synthesis entirely.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.cdk.fingerprint import input_digest, is_current, write_stamp
from archkit.cdk.preflight import check_buildable
from archkit.io import replace_dir_atomic, write_text_atomic
from archkit.wording import count

if TYPE_CHECKING:
    from archkit.spec import ArchSpec

CDK_OUT = "cdk.out"
CDK_JSON = "cdk.json"
REPORT = "validation-report.json"


@dataclass(frozen=True)
class StackSummary:
    name: str
    region: str
    resources: int
    template: Path


@dataclass
class SynthResult:
    """What was written (or found up to date)."""

    out_dir: Path
    cdk_out: Path
    cdk_json: Path
    skipped: bool
    stacks: list[StackSummary] = field(default_factory=list)

    @property
    def resource_count(self) -> int:
        return sum(s.resources for s in self.stacks)


@dataclass(frozen=True, order=True)
class Violation:
    """One unacknowledged cdk-nag finding."""

    rule: str
    severity: str
    path: str
    description: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.severity}) at {self.path}: {self.description}"


class NagViolations(Exception):
    """cdk-nag reported findings the spec does not acknowledge; nothing was written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__(
            f"{count(len(violations), 'cdk-nag finding')} not acknowledged in compliance.nag_suppressions"
        )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def cdk_json_text(spec: ArchSpec, spec_path: Path, out_dir: Path) -> str:
    """``cdk.json`` whose app re-runs the same synthesis, with the spec path relative to ``out_dir``."""
    relative = Path(os.path.relpath(spec_path.resolve(), out_dir.resolve())).as_posix()
    # python3, not python: plain Debian/Ubuntu have no `python` command outside a virtualenv.
    app = f"python3 -m archkit.cdk.app --spec {relative} --env {spec.environment}"
    return json.dumps({"app": app, "output": CDK_OUT}, indent=2, sort_keys=True) + "\n"


def read_violations(report_path: Path) -> list[Violation]:
    """Unacknowledged AwsSolutions findings (errors and warnings) from a validation report."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = []
    for plugin in report.get("pluginReports", []):
        if plugin.get("pluginName") != "AwsSolutions":
            continue
        for violation in plugin.get("violations", []):
            for construct in violation.get("violatingConstructs", []):
                found.append(
                    Violation(
                        violation["ruleName"],
                        violation.get("severity", "error"),
                        construct.get("constructPath", "?"),
                        violation.get("description", ""),
                    )
                )
    return sorted(found)


def summarize(out_dir: Path) -> list[StackSummary]:
    """Stacks of the assembly in ``out_dir/cdk.out`` with their resource counts."""
    cdk_out = out_dir / CDK_OUT
    manifest = json.loads((cdk_out / "manifest.json").read_text(encoding="utf-8"))
    stacks = []
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = cdk_out / artifact["properties"]["templateFile"]
        resources = json.loads(template.read_text(encoding="utf-8")).get("Resources", {})
        region = artifact.get("environment", "").rsplit("/", 1)[-1]
        stacks.append(StackSummary(name, region, len(resources), template))
    return stacks


def synthesize(
    spec: ArchSpec,
    spec_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """Write ``out_dir/cdk.out`` (the cloud assembly) and ``out_dir/cdk.json`` for ``spec``.

    Raises :class:`archkit.cdk.errors.CdkBuildErrors` (spec cannot be built) or :class:`NagViolations`
    (unacknowledged cdk-nag findings); in both cases the previous output is left untouched.
    """
    say = progress or (lambda _msg: None)
    out_dir = Path(out_dir)
    cdk_out, cdk_json = out_dir / CDK_OUT, out_dir / CDK_JSON
    inputs = input_digest(spec, spec_path)
    if not force and is_current(cdk_out, cdk_json, inputs):
        return SynthResult(out_dir, cdk_out, cdk_json, skipped=True, stacks=summarize(out_dir))

    say("checking that CDK can build the spec")
    spec_dir = spec_path.resolve().parent
    check_buildable(spec, spec_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".cdk.out.", dir=out_dir))
    try:
        say("building constructs (loading aws-cdk-lib)")
        from archkit.cdk.app import build

        built = build(spec, spec_dir=spec_dir, outdir=staging)
        say("synthesizing templates and running cdk-nag (AwsSolutions)")
        try:
            built.app.synth()
        except RuntimeError:
            violations = read_violations(staging / REPORT)
            if violations:
                raise NagViolations(violations) from None
            raise
        say("writing the cloud assembly")
        staging.chmod(0o777 & ~_umask())  # mkdtemp made it private; give it an ordinary directory's mode
        replace_dir_atomic(staging, cdk_out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    write_text_atomic(cdk_json, cdk_json_text(spec, spec_path, out_dir))
    write_stamp(cdk_out, cdk_json, inputs)
    return SynthResult(out_dir, cdk_out, cdk_json, skipped=False, stacks=summarize(out_dir))
