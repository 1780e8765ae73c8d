"""Shared base model and small types for the spec."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Spec keys (function, table, bucket names): lower snake case, used in spec paths."""


class SpecModel(BaseModel):
    """Base of every spec model: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=False,
        validate_assignment=True,
        populate_by_name=True,
        use_enum_values=True,
    )

    __shorthand__: ClassVar[str | None] = None
    """Set on models that also accept a bare value (e.g. a method given as its function name)."""
    __shorthand_schema__: ClassVar[dict[str, Any]] = {"type": "string"}
    """JSON Schema of the shorthand value (a string unless a model says otherwise)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The JSON Schema must accept the shorthand too, or editors flag `GET: get_user` as an error.
        schema = handler(core_schema)
        if cls.__shorthand__ is None:
            return schema
        shorthand = {**cls.__shorthand_schema__, "description": f"Shorthand: {cls.__shorthand__}."}
        return {"anyOf": [shorthand, schema]}


def _check_cidr(value: str) -> str:
    import ipaddress

    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a valid IPv4 CIDR block with host bits clear ({exc})") from None
    if net.version != 4:
        raise ValueError(f"'{value}' is not an IPv4 CIDR block")
    return value


Cidr = Annotated[str, AfterValidator(_check_cidr), Field(examples=["10.0.0.0/16"])]
"""An IPv4 CIDR block such as ``10.0.0.0/16``."""

Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=40)]
"""A spec key: lower snake case, at most 40 characters (it becomes part of physical names)."""

PROJECT_PATTERN = r"^[a-z][a-z0-9-]{0,19}$"
"""Project names: lower case letters, digits and hyphens, at most 20 characters (they start every name)."""

ENVIRONMENT_PATTERN = r"^[a-z][a-z0-9]{0,9}$"
EnvironmentName = Annotated[str, Field(pattern=ENVIRONMENT_PATTERN)]
"""An environment name such as `prod` or `dev`: lower case letters and digits, at most 10 characters."""

_REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")


def _check_region(value: str) -> str:
    if not _REGION_RE.match(value):
        raise ValueError(f"'{value}' is not an AWS region name (expected something like 'eu-west-1')")
    return value


Region = Annotated[str, AfterValidator(_check_region)]

Access = Literal["read", "write", "read_write"]
"""How a principal may use a data store."""
