"""Which template property carries a spec attribute: the one declared mapping ``archkit diff`` uses to tell,
without synthesis, that a change replaces a resource.

Whether a property forces a replacement is CloudFormation's (:mod:`archkit.diff.create_only`); this module
only says which property a spec attribute lands in. Covered: every create-only or conditionally create-only
property archkit sets on a stateful resource type from a spec attribute, and every physical name (from
:mod:`archkit.spec.naming`, as the inventory reports it). tests/diff/test_carriers.py mutates each attribute
in the reference spec, synthesizes, and checks the named property is the one that changes; and fails when a
create-only property archkit emits for a stateful type is neither carried here nor declared fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from archkit.diff.create_only import create_only
from archkit.diff.model import Replacement, ResourceChange

TABLE_TYPES = ("AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table")
"""A table with replicas is a GlobalTable, one without a Table (see the inventory)."""


@dataclass(frozen=True)
class Carrier:
    attribute: str
    """fnmatch pattern over the full dotted spec path of a leaf (``tables.*.sort_key.name``)."""
    resource_types: tuple[str, ...]
    """The template resource of the attribute's spec resource that carries it."""
    cfn_property: str


CARRIERS: tuple[Carrier, ...] = (
    Carrier("tables.*.partition_key.name", TABLE_TYPES, "KeySchema"),
    Carrier("tables.*.sort_key.name", TABLE_TYPES, "KeySchema"),
    Carrier("tables.*.sort_key", TABLE_TYPES, "KeySchema"),  # a sort key added or removed
    Carrier("rds.engine", ("AWS::RDS::DBInstance",), "Engine"),
    Carrier("rds.database_name", ("AWS::RDS::DBInstance",), "DBName"),
    Carrier("rds.master_username", ("AWS::RDS::DBInstance",), "MasterUsername"),
    Carrier("rds.kms_key", ("AWS::RDS::DBInstance",), "KmsKeyId"),
    Carrier("rds.multi_az", ("AWS::RDS::DBInstance",), "MultiAZ"),
    Carrier("rds.storage_type", ("AWS::RDS::DBInstance",), "StorageType"),
    Carrier("rds.backup_retention_days", ("AWS::RDS::DBInstance",), "BackupRetentionPeriod"),
    Carrier("rds.auto_minor_version_upgrade", ("AWS::RDS::DBInstance",), "AutoMinorVersionUpgrade"),
    Carrier("rds.require_tls", ("AWS::RDS::DBInstance",), "DBParameterGroupName"),  # the group comes or goes
)

NAME_PROPERTY: dict[str, str] = {
    "AWS::DynamoDB::GlobalTable": "TableName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::RDS::DBInstance": "DBInstanceIdentifier",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::Lambda::Function": "FunctionName",
}
"""The template property holding a resource's physical name (the inventory's ``name``), per type."""

FIXED: dict[tuple[str, str], str] = {
    ("AWS::RDS::DBInstance", "StorageEncrypted"): "always true",
    ("AWS::RDS::DBInstance", "DBSubnetGroupName"): "the subnet group's physical name (rds.subnet_group)",
    ("AWS::SQS::Queue", "QueueName"): "{table}-stream-failures: changes with the table's key or the project",
}
"""Create-only properties archkit sets on a stateful type from no spec attribute of that resource."""


def carriers_of(resource_type: str, leaf: str) -> list[Carrier]:
    """The carriers of the leaf at full spec path ``leaf`` on a resource of ``resource_type``."""
    return [c for c in CARRIERS if resource_type in c.resource_types and fnmatchcase(leaf, c.attribute)]


def replacement(change: ResourceChange, base_type: str | None) -> Replacement | None:
    """What CloudFormation does to a changed (or same-path renamed) resource, from the spec change alone:
    the type changes, or a create-only property carrying a changed attribute or the physical name does."""
    if change.kind not in ("changed", "renamed") or change.old_path is not None:
        return None
    rtype = change.resource_type
    if base_type is not None and base_type != rtype:
        return Replacement(None, None, rtype, ("Type",))
    rules = create_only(rtype)
    if rules is None:
        return None
    props = [NAME_PROPERTY[rtype]] if change.old_name and rtype in NAME_PROPERTY else []
    for attr in change.attributes:
        props += [c.cfn_property for c in carriers_of(rtype, f"{change.path}.{attr.attribute}")]
    hard = tuple(dict.fromkeys(p for p in props if p in rules.create_only))
    soft = tuple(dict.fromkeys(p for p in props if p in rules.conditional))
    if not (hard or soft):
        return None
    return Replacement(None, None, rtype, hard or soft, conditional=not hard)
