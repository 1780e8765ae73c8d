"""The handler registry: one handler per CloudFormation resource type (`handlers/<service>.py` register
themselves here), the types deliberately skipped, and what a handler sees and returns."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.emulate.capabilities import SKIPPED_TYPES

if TYPE_CHECKING:
    from archkit.emulate.deploy import DeployedResource, Executor


class DeployError(Exception):
    """The template asks for something this executor cannot do faithfully."""


@dataclass(frozen=True)
class Gap:
    """Where the emulator needed help: a property it cannot hold, or one it accepts only by a detour."""

    stack: str
    logical_id: str
    resource_type: str
    property: str
    reason: str


@dataclass
class Created:
    """What a handler returns: the value of ``Ref`` and the ``Fn::GetAtt`` attributes."""

    ref: str
    attrs: dict[str, Any] = field(default_factory=dict)


Handler = Callable[["ResourceContext", dict[str, Any]], Created]
HANDLERS: dict[str, Handler] = {}
SKIPPED = SKIPPED_TYPES
"""Types deliberately not created (declared with their reasons in ``capabilities.py``)."""


def handler(*types: str) -> Callable[[Handler], Handler]:
    """Register the handler creating the given CloudFormation types."""

    def register(fn: Handler) -> Handler:
        for t in types:
            if t in HANDLERS:
                raise RuntimeError(f"two handlers for {t}")
            HANDLERS[t] = fn
        return fn

    return register


@dataclass
class ResourceContext:
    """What a handler sees: its stack, region, account, logical id, tags and boto3 clients."""

    executor: Executor
    stack: str
    region: str
    logical_id: str
    resource_type: str

    @property
    def account(self) -> str:
        return self.executor.account

    def client(self, service: str, region: str | None = None) -> Any:
        return self.executor.client(service, region or self.region)

    def arn(self, service: str, resource: str, region: str | None = None, account: str | None = None) -> str:
        reg = self.region if region is None else region
        acct = self.account if account is None else account
        return f"arn:aws:{service}:{reg}:{acct}:{resource}"

    def physical_name(self, max_length: int = 64, lowercase: bool = False) -> str:
        """The name CloudFormation generates for a resource without an explicit name."""
        suffix = hashlib.sha256(f"{self.stack}/{self.logical_id}".encode()).hexdigest()[:12].upper()
        room = max_length - len(suffix) - 2
        stack_part = self.stack[: max(room // 2, room - len(self.logical_id))]
        logical_part = self.logical_id[: room - len(stack_part)]
        name = f"{stack_part}-{logical_part}-{suffix}"
        return name.lower() if lowercase else name

    def tags(self, props: dict[str, Any], key: str = "Tags") -> list[dict[str, str]]:
        """The template's tags as a Key/Value list (what CloudFormation applies)."""
        return [{"Key": t["Key"], "Value": str(t["Value"])} for t in props.get(key) or []]

    def tag_dict(self, props: dict[str, Any], key: str = "Tags") -> dict[str, str]:
        return {t["Key"]: t["Value"] for t in self.tags(props, key)}

    def gap(self, prop: str, reason: str) -> None:
        self.executor.gaps.append(Gap(self.stack, self.logical_id, self.resource_type, prop, reason))

    def deployed(self, logical_id: str) -> DeployedResource:
        return self.executor.resources[(self.stack, logical_id)]
