"""The diff report: what changed per resource and what the changes do, as plain data with a stable JSON form.

The JSON schema (``archkit diff --format json``) is documented in docs/how-to/review-a-spec-change.md;
``SCHEMA_VERSION`` changes whenever a field is renamed or removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

ChangeKind = Literal["added", "removed", "changed", "renamed"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "renamed", "changed")

ConsequenceClass = Literal["destructive", "security", "availability", "cost"]
CLASSES: tuple[ConsequenceClass, ...] = ("destructive", "security", "availability", "cost")
"""Most to least serious: ``--fail-on CLASS`` fails on that class and every class before it."""

Effect = Literal["worse", "better", "changed"]
"""Whether a consequence weakens (``worse``), strengthens (``better``) or just alters the system; an
improvement never fails ``--fail-on``."""

FAIL_ON_CHOICES = ("none", *CLASSES, "any")


@dataclass(frozen=True)
class AttributeChange:
    """One spec attribute (dotted path below the resource) with its value on each side (None: absent)."""

    attribute: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Replacement:
    """CloudFormation replaces a resource: a create-only property (or the type) of its template changes."""

    stack: str | None
    """Stack and logical id are known with ``--synth`` only (None: derived from the spec change)."""
    logical_id: str | None
    resource_type: str
    properties: tuple[str, ...]
    """The template properties whose change forces the replacement (``KeySchema``, ``BucketName``)."""
    conditional: bool = False
    """Only conditionally create-only in the resource schema (CloudFormation *may* replace)."""


@dataclass(frozen=True)
class ResourceChange:
    """One resource that is added, removed, renamed or has changed attributes."""

    kind: ChangeKind
    path: str
    """Spec path on HEAD (on BASE for a removed resource)."""
    resource_type: str
    name: str
    """Physical name on HEAD (on BASE for a removed resource)."""
    old_path: str | None = None
    old_name: str | None = None
    attributes: tuple[AttributeChange, ...] = ()
    replacements: tuple[Replacement, ...] = ()


@dataclass(frozen=True)
class Consequence:
    """One classified consequence of the change."""

    cls: ConsequenceClass
    effect: Effect
    resource: str
    message: str
    attribute: str | None = None
    old: Any = None
    new: Any = None
    rule_id: str | None = None
    cfn_property: str | None = None
    data_lost: str | None = None


@dataclass
class DiffReport:
    base: str
    """What BASE is: a file, or ``rev:path``."""
    head: str
    environment: str
    changes: list[ResourceChange] = field(default_factory=list)
    settings: list[AttributeChange] = field(default_factory=list)
    """Spec-wide attributes that belong to no single resource (``network.nat_gateways``)."""
    consequences: list[Consequence] = field(default_factory=list)
    synthesized: bool = False
    """True with ``--synth``: replacements were derived by comparing the synthesized templates."""
    diagrams: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.changes or self.settings or self.consequences)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {k: sum(1 for c in self.changes if c.kind == k) for k in CHANGE_KINDS}
        out.update({c: sum(1 for x in self.consequences if x.cls == c) for c in CLASSES})
        return out

    def fails(self, fail_on: str) -> bool:
        """True when ``--fail-on fail_on`` should make the command exit 1."""
        if fail_on == "none":
            return False
        if fail_on == "any":
            return not self.empty
        limit = CLASSES.index(fail_on)
        return any(c.effect != "better" and CLASSES.index(c.cls) <= limit for c in self.consequences)

    def to_json(self) -> dict[str, Any]:
        def clean(obj: Any) -> Any:
            data = asdict(obj)
            if "cls" in data:  # `class` is the JSON name; a Python field cannot have it
                data = {"class": data.pop("cls"), **data}
            return data

        return {
            "schema_version": SCHEMA_VERSION,
            "base": self.base,
            "head": self.head,
            "environment": self.environment,
            "synthesized": self.synthesized,
            "summary": self.counts(),
            "changes": [clean(c) for c in self.changes],
            "settings": [clean(s) for s in self.settings],
            "consequences": [clean(c) for c in self.consequences],
            "diagrams": list(self.diagrams),
        }
