"""The archkit spec: typed pydantic models of a whole AWS system, its loader and its naming function.

Importing this package imports pydantic and PyYAML only.
"""

from archkit.spec.errors import SpecDeprecationWarning
from archkit.spec.inventory import Resource
from archkit.spec.loader import (
    SpecError,
    SpecIssue,
    default_spec_path,
    dump_spec,
    load_environments,
    load_spec,
    parse_spec_text,
    spec_from_dict,
    spec_locations,
)
from archkit.spec.naming import ID_TAG, cost_tags, kms_alias, physical_name, resource_tags, secret_env_var
from archkit.spec.system import ArchSpec

__all__ = [
    "ID_TAG",
    "ArchSpec",
    "Resource",
    "SpecDeprecationWarning",
    "SpecError",
    "SpecIssue",
    "cost_tags",
    "default_spec_path",
    "dump_spec",
    "kms_alias",
    "load_environments",
    "load_spec",
    "parse_spec_text",
    "physical_name",
    "resource_tags",
    "secret_env_var",
    "spec_from_dict",
    "spec_locations",
]
