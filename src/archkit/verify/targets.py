"""Where a spec is deployed: the targets file beside the spec, read into one `Target` per account and region.

The targets live in their own file (``<spec stem>.targets.yaml`` beside the spec, or ``--targets FILE``)
rather than in the spec: the spec says what the system is, the targets say where the platform team runs
it. Accounts come and go without an architecture change (no `archkit diff`, no synthesis), and the same
spec can be verified from several tooling accounts with different files.

```yaml
role_name: archkit-verify          # the read-only role in every member account (`--print-iam-role`)
verifier_account: "111111111111"   # the tooling account that assumes it
concurrency: 4                     # targets verified at once (--all-targets, the verifier's Map)
schedule: rate(1 day)              # when the generated verifier runs (`archkit generate --verifier`)
deployments:
  - environment: prod
    accounts: ["123456789012"]
    regions: [us-east-1]           # default: the environment's region
  - {environment: dev, accounts: ["210987654321"], role_name: archkit-verify-dev}
```

Imports pydantic and the spec layer only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from archkit.spec import ArchSpec, SpecError
from archkit.spec.base import Region
from archkit.spec.errors import Loc, SpecIssue
from archkit.spec.source import Source, parse_document

TARGETS_SUFFIX = ".targets.yaml"
DEFAULT_ROLE_NAME = "archkit-verify"
ROLE_NAME_PATTERN = r"^[\w+=,.@-]{1,64}$"
ACCOUNT_PATTERN = r"^\d{12}$"


class Deployment(BaseModel):
    """One environment of the spec and the accounts (and regions) it is deployed in."""

    model_config = ConfigDict(extra="forbid")

    environment: str = Field(description="An environment of the spec (`environments`).")
    accounts: list[str] = Field(min_length=1, description="12-digit AWS account ids.")
    regions: list[Region] = Field(
        default=[], description="Regions of the deployment (default: the environment's `region`)."
    )
    role_name: str | None = Field(
        default=None, pattern=ROLE_NAME_PATTERN, description="Role to assume here (default: the file's)."
    )


class TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role_name: str = Field(
        default=DEFAULT_ROLE_NAME, pattern=ROLE_NAME_PATTERN, description="Read-only role in every account."
    )
    verifier_account: str | None = Field(
        default=None, pattern=ACCOUNT_PATTERN, description="Tooling account trusted by the member role."
    )
    concurrency: int = Field(
        default=4, ge=1, le=40, description="Targets verified at once (Map concurrency)."
    )
    schedule: str = Field(
        default="rate(1 day)",
        pattern=r"^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$",
        description="When the generated verifier runs (EventBridge Scheduler expression).",
    )
    deployments: list[Deployment] = Field(min_length=1)


@dataclass(frozen=True)
class Target:
    """One deployment to verify: an environment of the spec in one account and region."""

    environment: str
    account: str
    region: str
    role_name: str

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.account}:role/{self.role_name}"

    @property
    def key(self) -> str:
        """``prod/123456789012/us-east-1``: how the deployment is named in reports and object keys."""
        return f"{self.environment}/{self.account}/{self.region}"

    def deployment(self) -> dict[str, str]:
        return {"environment": self.environment, "account": self.account, "region": self.region}


@dataclass(frozen=True)
class Targets:
    file: str
    settings: TargetsFile
    targets: tuple[Target, ...]


class TargetsError(Exception):
    """A targets file that cannot be used; each issue is one located line (file:line:col: path: message)."""

    def __init__(self, issues: list[SpecIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def default_targets_path(spec_path: Path) -> Path:
    """``specs/reference.yaml`` -> ``specs/reference.targets.yaml``."""
    return spec_path.with_name(spec_path.name.split(".", 1)[0] + TARGETS_SUFFIX)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TargetsError(
            [SpecIssue("", "no targets file (write one, or pass --targets FILE)", str(path))]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetsError([SpecIssue("", f"cannot read the targets file: {exc}", str(path))]) from None


def _validation_issues(exc: ValidationError, source: Source) -> list[SpecIssue]:
    issues = []
    for error in exc.errors():
        loc: Loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "string_pattern_mismatch":
            message = f"'{error['input']}' does not match {error['ctx']['pattern']}"
        issues.append(source.issue(loc, message, prefer_key=error["type"] == "extra_forbidden"))
    return issues


def placed(spec: ArchSpec, region: str) -> ArchSpec | str:
    """The environment's spec deployed in ``region``, or why it cannot be: explicit availability zones pin
    a spec to their region (another region needs an environment of its own)."""
    if region == spec.region:
        return spec
    foreign = [az for az in spec.availability_zones if not az.startswith(region)]
    if foreign:
        return (
            f"environment '{spec.environment}' is in {spec.region} (availability zones "
            f"{', '.join(foreign)}); declare an environment for {region}"
        )
    return spec.model_copy(update={"region": region})


def load_targets(path: Path, environments: dict[str, ArchSpec]) -> Targets:
    """Read and check a targets file against the spec's environments; raises `TargetsError`."""
    file = os.fspath(path)
    try:
        doc, source = parse_document(_read(path), file)
    except SpecError as exc:
        raise TargetsError(exc.issues) from None
    if not isinstance(doc, dict):
        raise TargetsError([SpecIssue("", "expected a mapping with `deployments`", file, 1, 1)])
    try:
        settings = TargetsFile.model_validate(doc)
    except ValidationError as exc:
        raise TargetsError(_validation_issues(exc, source)) from None
    issues: list[SpecIssue] = []
    targets: list[Target] = []
    seen: set[Target] = set()
    for i, dep in enumerate(settings.deployments):
        spec = environments.get(dep.environment)
        if spec is None:
            declared = ", ".join(sorted(environments))
            issues.append(
                source.issue(
                    ("deployments", i, "environment"),
                    f"environment '{dep.environment}' is not in the spec (declared: {declared})",
                )
            )
            continue
        for j, account in enumerate(dep.accounts):
            if not account.isdigit() or len(account) != 12:
                issues.append(
                    source.issue(
                        ("deployments", i, "accounts", j), f"'{account}' is not a 12-digit account id"
                    )
                )
        for k, region in enumerate(dep.regions):
            why = placed(spec, region)
            if isinstance(why, str):
                issues.append(source.issue(("deployments", i, "regions", k), why))
        for account in dep.accounts:
            for region in dep.regions or [spec.region]:
                target = Target(dep.environment, account, region, dep.role_name or settings.role_name)
                if target in seen:
                    issues.append(
                        source.issue(("deployments", i), f"deployment {target.key} is listed twice")
                    )
                seen.add(target)
                targets.append(target)
    if issues:
        raise TargetsError(issues)
    return Targets(file, settings, tuple(targets))
