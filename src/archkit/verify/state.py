"""The base of every state model. The models themselves live with their kind (`archkit.verify.kinds.<kind>`):
one per resource kind, produced as *desired* (from the spec) and *observed* (from the account), so drift is
a plain diff and compliance rules run on either side.

Normalisation lives here, in the models, so both sides agree by construction:

- references to other resources are spec paths (``network.security_groups.lambda``,
  ``security.kms_keys.data``), never ARNs or AWS ids; an observed reference that matches nothing in the spec
  stays raw (an ARN or id), which then shows up as drift;
- unordered collections are sorted lists or dicts keyed by a natural key (index name, rule id, ``GET /path``);
- AWS-reserved tags (``aws:*``) are dropped.

This module imports pydantic only (no boto3), so rules and docs can use it freely.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _sorted_unique(values: list[str]) -> list[str]:
    return sorted(set(values))


_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY)", re.IGNORECASE)
_PLACEHOLDER_ONLY = re.compile(r"^\$\{[A-Za-z0-9_.]+\}$")


def mask_env_value(name: str, value: str) -> str:
    """A secret-looking variable's value becomes a digest, so drift is seen but the value never printed.

    Placeholders (`${secrets.x.arn}`) and ARNs are references, not secrets, and stay readable.
    """
    if not _SECRET_NAME.search(name) or _PLACEHOLDER_ONLY.match(value) or value.startswith("arn:"):
        return value
    if value.startswith("sha256:"):
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:16]


SortedSet = Annotated[list[str], AfterValidator(_sorted_unique)]
"""A set of strings, kept as a sorted list so it serialises deterministically."""


class StateModel(BaseModel):
    """Base of every state part: immutable, unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ResourceState(StateModel):
    """Fields every resource state carries. Only the fields below ``COMPARED_FROM`` take part in drift."""

    kind: ClassVar[str] = "resource"
    TAGGABLE: ClassVar[bool] = True
    """False for kinds AWS cannot tag (layers, authorizers, budgets): their desired tags are empty."""
    IDENTITY_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"path", "resource_type", "physical_id", "arn", "ids", "unreadable"}
    )
    """Fields that identify the resource rather than describe it; drift never compares them."""

    path: str = Field(description="Spec path, e.g. `tables.main`; also the `archkit:id` tag value.")
    resource_type: str = Field(description="CloudFormation type, e.g. `AWS::DynamoDB::Table`.")
    physical_id: str = Field(
        description="Name or AWS id (desired side: the physical name from the naming function)."
    )
    arn: str | None = Field(default=None, description="ARN when known (observed side).")
    ids: list[str] = Field(
        default_factory=list,
        description="AWS-generated ids, ARNs and domain names other resources may use to refer to this one.",
    )
    unreadable: dict[str, str] = Field(
        default_factory=dict,
        description="Attribute path -> why it could not be read (AccessDenied, unsupported); not_checked.",
    )
    tags: dict[str, str] = Field(default_factory=dict, description="Tags, without AWS-reserved `aws:*` keys.")

    @field_validator("tags")
    @classmethod
    def _drop_reserved_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        return {k: tags[k] for k in sorted(tags) if not k.startswith("aws:")}

    def attributes(self) -> dict[str, Any]:
        """The compared attributes as plain JSON-able data."""
        return self.model_dump(mode="json", exclude=set(self.IDENTITY_FIELDS))


# --- Shared parts --------------------------------------------------------------------------------------


class IamStatementState(StateModel):
    """An Allow statement of an IAM policy, actions and resources as read (sorted)."""

    effect: Literal["Allow", "Deny"]
    actions: SortedSet
    resources: SortedSet

    @classmethod
    def from_policy_document(cls, doc: dict[str, Any] | str) -> list[IamStatementState]:
        """The Allow statements of a policy document (dict or JSON / URL-encoded JSON string)."""
        if isinstance(doc, str):
            from urllib.parse import unquote

            doc = json.loads(unquote(doc) if doc.lstrip().startswith("%") else doc)
        assert isinstance(doc, dict)
        statements = doc.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        out = []
        for st in statements:
            if st.get("Effect") != "Allow":
                continue
            actions = st.get("Action", [])
            res = st.get("Resource", [])
            out.append(
                cls(
                    effect="Allow",
                    actions=[actions] if isinstance(actions, str) else list(actions),
                    resources=[res] if isinstance(res, str) else list(res),
                )
            )
        return sorted(out, key=lambda s: (s.actions, s.resources))


def __getattr__(name: str) -> Any:
    """Compatibility: `from archkit.verify.state import TableState` (and `STATE_BY_CFN_TYPE`, `STATE_TYPES`)
    still resolve, from the kind table; new code imports a model from its kind module."""
    if name.startswith("__"):  # the import system probes `__path__` and friends: not a state name
        raise AttributeError(name)
    from archkit.verify import kinds

    if name == "STATE_BY_CFN_TYPE":
        return kinds.state_by_cfn_type()
    if name == "STATE_TYPES":
        return kinds.state_types()
    for cls in kinds.state_types():
        if cls.__name__ == name:
            return cls
        for field in cls.model_fields.values():  # nested parts (IndexState, MethodState, ...)
            for part in _parts(field.annotation):
                if part.__name__ == name:
                    return part
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _parts(annotation: Any) -> list[type[StateModel]]:
    from typing import get_args

    found = [annotation] if isinstance(annotation, type) and issubclass(annotation, StateModel) else []
    for arg in get_args(annotation):
        found += _parts(arg)
    return found
