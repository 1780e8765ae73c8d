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


class ResourcePolicyStatementState(StateModel):
    """What a resource policy (a function's permissions, a queue's or a secret's policy) allows or denies one
    principal. Statements are keyed by `<Effect> <principal>`; several statements for one principal read as
    one: their actions together, and only the conditions every one of them carries (the weakest statement
    decides whether the principal is scoped)."""

    actions: SortedSet
    conditions: SortedSet = Field(
        description=(
            "`<operator> <key>` of the conditions (`ArnLike aws:sourcearn`); values are left out (they hold "
            "account ids and ARNs of the deployment)."
        )
    )


PUBLIC_PRINCIPAL = "*"
"""How a resource policy state names everyone (`Principal: "*"` or `{"AWS": "*"}`)."""

OWN_ACCOUNT_PRINCIPAL = "account"
"""How a resource policy state names the resource's own account (`arn:aws:iam::<its account>:root`)."""

_ROOT_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def policy_principals(principal: Any, account: str | None) -> list[str]:
    """A statement's principals as a state names them: `*`, a service principal, `account` for the
    resource's own account root, or the raw ARN / account id."""
    if principal == "*":
        return [PUBLIC_PRINCIPAL]
    if not isinstance(principal, dict):
        return [str(principal)]
    out: list[str] = []
    for value in _as_list(principal.get("Service")):
        out.append(str(value))
    for value in _as_list(principal.get("AWS")):
        text = str(value)
        root = _ROOT_ARN.match(text)
        own = (root and root.group(1) == account) or (account is not None and text == account)
        out.append(PUBLIC_PRINCIPAL if text == "*" else OWN_ACCOUNT_PRINCIPAL if own else text)
    for key in sorted(set(principal) - {"Service", "AWS"}):
        out.extend(f"{key}:{v}" for v in _as_list(principal[key]))
    return out


def statement_key(effect: str, principal: str) -> str:
    """Key of a resource policy statement: ``Allow apigateway.amazonaws.com``, ``Deny *``."""
    return f"{effect} {principal}"


def resource_policy_statements(
    doc: dict[str, Any] | str | None, account: str | None
) -> dict[str, ResourcePolicyStatementState]:
    """`<Effect> <principal>` -> statement state of a resource policy document (dict or JSON text; None or
    empty: no policy). ``account`` is the id of the account owning the resource (from its ARN)."""
    if not doc:
        return {}
    if isinstance(doc, str):
        doc = json.loads(doc)
    assert isinstance(doc, dict)
    merged: dict[str, tuple[set[str], set[str]]] = {}
    for st in _as_list(doc.get("Statement")):
        actions = {str(a) for a in _as_list(st.get("Action"))}
        conditions = {
            f"{operator} {key.lower()}"
            for operator, keys in (st.get("Condition") or {}).items()
            for key in (keys or {})
        }
        for principal in policy_principals(st.get("Principal", {}), account):
            key = statement_key(str(st.get("Effect", "Allow")), principal)
            if key in merged:
                merged[key] = (merged[key][0] | actions, merged[key][1] & conditions)
            else:
                merged[key] = (actions, conditions)
    return {
        key: ResourcePolicyStatementState(actions=sorted(actions), conditions=sorted(conditions))
        for key, (actions, conditions) in sorted(merged.items())
    }


def arn_account(arn: str | None) -> str | None:
    """The account id field of an ARN (None if it has none)."""
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[4] else None
