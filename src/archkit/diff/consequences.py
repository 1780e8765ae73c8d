"""Classify what a change does: destructive, security, availability, cost (see :mod:`archkit.diff.model`).

- destructive: a stateful resource is replaced (a create-only property of its template changes, per the
  CloudFormation resource schemas: from the spec change through :mod:`archkit.diff.carriers`, or from the
  synthesized templates with ``--synth``) or deleted, with the data that goes with it;
- security: compliance rules newly failing or passing (the rules of ``verify --static`` on both sides'
  desired states), IAM grants widened or narrowed, things made public, suppressions, security levers;
- availability and cost: the levers of :mod:`archkit.diff.levers`, with old → new.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from archkit.diff import levers
from archkit.diff.model import AttributeChange, Consequence, ConsequenceClass, Effect, ResourceChange
from archkit.diff.spec_changes import owner
from archkit.diff.templates import TemplateChange
from archkit.spec import ArchSpec
from archkit.spec.inventory import resources

DATA_OF: dict[str, str] = {
    "AWS::DynamoDB::Table": "every item in the table",
    "AWS::DynamoDB::GlobalTable": "every item in the table, in every replica region",
    "AWS::S3::Bucket": "every object in the bucket",
    "AWS::RDS::DBInstance": "the database",
    "AWS::KMS::Key": "the key: data encrypted under it can no longer be decrypted",
    "AWS::SecretsManager::Secret": "the secret value",
    "AWS::SQS::Queue": "the queued messages",
}
"""Stateful resource types and the data lost with them; replacing any other type loses nothing stored."""

_NAME_PROPERTIES = ("TableName", "BucketName", "DBInstanceIdentifier", "QueueName", "Name")

_ACCESS: dict[str, frozenset[str]] = {
    "read": frozenset({"read"}),
    "write": frozenset({"write"}),
    "read_write": frozenset({"read", "write"}),
}
_OPEN_CIDRS = ("0.0.0.0/0", "::/0")


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, sort_keys=True) if not isinstance(value, str) else value


def _arrow(change: AttributeChange) -> str:
    return f"{_show(change.old)} → {_show(change.new)}"


def _size(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return float(len(value))
    return None


def _effect(cls: ConsequenceClass, path: str, old: Any, new: Any) -> Effect:
    """More is worse for cost; more (or ``true``) is better for availability and security levers."""
    if old is None or new is None:
        old_size, new_size = (0.0 if old is None else _size(old)), (0.0 if new is None else _size(new))
    else:
        old_size, new_size = _size(old), _size(new)
    if old_size is None or new_size is None or old_size == new_size:
        return "changed"
    more = new_size > old_size
    if cls == "cost":
        return "worse" if more else "better"
    if path.startswith("compliance.") and "suppressions" in path:
        return "worse" if more else "better"
    if isinstance(old, bool) or isinstance(new, bool):
        more = more != levers.bad_when_true(path)
    return "better" if more else "worse"


def _grant(path: str, change: AttributeChange) -> Consequence | None:
    """A grant's access level: widened (more actions) or narrowed, from the access sets it implies."""
    if not path.endswith(".access") or ".grants." not in path:
        return None
    before = _ACCESS.get(str(change.old), frozenset())
    after = _ACCESS.get(str(change.new), frozenset())
    if after == before:
        return None
    widened = not after <= before
    verb = "widened" if widened else "narrowed"
    resource, _, target = path.partition(".grants.")
    return Consequence(
        "security",
        "worse" if widened else "better",
        resource,
        f"IAM grant {verb} on {target.removesuffix('.access')}: {_arrow(change)}",
        attribute=path[len(resource) + 1 :],
        old=change.old,
        new=change.new,
    )


def _made_public(path: str, change: AttributeChange) -> str | None:
    old, new = change.old, change.new
    if path.endswith("block_public_access") and old is True and new is not True:
        return "S3 block public access turned off"
    if levers.bad_when_true(path) and new is True and old is not True:
        return f"{path.rsplit('.', 1)[-1].replace('_', ' ')} turned on"
    if path.endswith(".cidr") and ".ingress." in path and new in _OPEN_CIDRS and old not in _OPEN_CIDRS:
        return f"ingress opened to {new}"
    if path.startswith("api.routes.") and path.endswith(".authorizer") and new == "none" and old != "none":
        return "route no longer needs an authorizer"
    return None


def lever_consequences(
    changes: Sequence[AttributeChange], paths: set[str], gone: set[str]
) -> list[Consequence]:
    """Security, availability and cost consequences of changed leaves (full spec paths).

    Leaves of resources added or removed as a whole are skipped (the resource change says it), except their
    ``enabled`` switch.
    """
    out: list[Consequence] = []
    for change in changes:
        path = change.attribute
        res = owner(paths, path)
        if res in gone and path != f"{res}.enabled":
            continue
        resource = res or path.split(".", 1)[0]
        attribute = path[len(resource) + 1 :] if path != resource else None
        grant = _grant(path, change)
        if grant is not None:
            out.append(grant)
        public = _made_public(path, change)
        if public is not None:
            msg = f"made public: {public} ({path}: {_arrow(change)})"
            out.append(Consequence("security", "worse", resource, msg, attribute, change.old, change.new))
        tables: tuple[tuple[ConsequenceClass, dict[str, str]], ...] = (
            ("security", levers.SECURITY),
            ("availability", levers.AVAILABILITY),
            ("cost", levers.COST),
        )
        for cls, table in tables:
            if cls == "security" and (grant is not None or public is not None):
                continue
            label = levers.match(table, path)
            if label is None:
                continue
            out.append(
                Consequence(
                    cls,
                    _effect(cls, path, change.old, change.new),
                    resource,
                    f"{label}: {_arrow(change)}",
                    attribute,
                    change.old,
                    change.new,
                )
            )
    return out


def rule_consequences(base: ArchSpec, head: ArchSpec, base_label: str, head_label: str) -> list[Consequence]:
    """Compliance rules (as ``verify --static`` runs them) newly failing or newly passing."""
    from archkit.verify.run import verify_static

    def failing(spec: ArchSpec, label: str) -> dict[tuple[str, str], Any]:
        report = verify_static(spec, label)
        return {
            (f.rule_id or "", f.resource): f
            for f in report.findings
            if f.kind == "compliance" and not f.suppressed
        }

    before, after = failing(base, base_label), failing(head, head_label)
    head_paths = {r.path for r in resources(head)}
    out = []
    for key in sorted(after.keys() - before.keys()):
        f = after[key]
        out.append(
            Consequence(
                "security",
                "worse",
                f.resource,
                f"{f.rule_id} newly fails ({f.severity}): {f.message}",
                attribute=f.attribute,
                old=f.expected,
                new=f.actual,
                rule_id=f.rule_id,
            )
        )
    for key in sorted(before.keys() - after.keys()):
        f = before[key]
        if f.resource not in head_paths:
            continue  # the resource is gone, not fixed
        out.append(
            Consequence(
                "security", "better", f.resource, f"{f.rule_id} now passes: {f.message}", rule_id=f.rule_id
            )
        )
    return out


def suppression_consequences(base: ArchSpec, head: ArchSpec) -> list[Consequence]:
    """Suppressions added (a failing control accepted: worse) or removed (better), one per suppression."""

    def entries(spec: ArchSpec) -> dict[tuple[str, str, str], str]:
        out = {
            ("compliance.suppressions", s.rule, s.resource): s.reason for s in spec.compliance.suppressions
        }
        for n in spec.compliance.nag_suppressions:
            scope = (n.resource or "*") + (f" [{', '.join(n.applies_to)}]" if n.applies_to else "")
            out[("compliance.nag_suppressions", n.rule, scope)] = n.reason
        return out

    before, after = entries(base), entries(head)
    out = []
    for key in sorted(after.keys() - before.keys()):
        where, rule, scope = key
        message = f"suppression added: {rule} on {scope} ({after[key]})"
        out.append(Consequence("security", "worse", where, message, rule_id=rule))
    for key in sorted(before.keys() - after.keys()):
        where, rule, scope = key
        out.append(
            Consequence("security", "better", where, f"suppression removed: {rule} on {scope}", rule_id=rule)
        )
    return out


def _carrying(old: Any, new: Any, attrs: Sequence[AttributeChange]) -> AttributeChange | None:
    """The spec attribute whose old and new values show up in the template property's old and new values."""
    old_text, new_text = json.dumps(old, default=str), json.dumps(new, default=str)
    for attr in attrs:
        if attr.old is None or attr.new is None or isinstance(attr.old, bool | dict | list):
            continue
        if json.dumps(attr.old).strip('"') in old_text and json.dumps(attr.new).strip('"') in new_text:
            return attr
    return None


def destructive_consequences(
    template_changes: Sequence[TemplateChange], changes: Sequence[ResourceChange]
) -> list[Consequence]:
    """Stateful resources replaced or deleted, from the template diff."""
    from archkit.diff.create_only import property_value

    by_path = {c.path: c for c in changes} | {c.old_path: c for c in changes if c.old_path}
    out: list[Consequence] = []
    for tc in template_changes:
        res = tc.resource
        data = DATA_OF.get(res.type)
        if data is None or tc.kind == "created":
            continue
        path = res.path or f"{res.stack}/{res.logical_id}"
        retained = res.deletion_policy in ("Retain", "RetainExceptOnCreate")
        snapshot = res.deletion_policy == "Snapshot"
        keep = (
            " The old one is retained (DeletionPolicy Retain) but leaves the stack;"
            " nothing moves to the new one."
            if retained
            else " A final snapshot is taken (DeletionPolicy Snapshot)."
            if snapshot
            else ""
        )
        if tc.kind == "deleted":
            renamed = by_path.get(path)
            what = (
                f"{res.logical_id} is renamed to {renamed.path} ({renamed.name}): "
                f"CloudFormation deletes it and creates a new, empty {res.type}"
                if renamed is not None and renamed.old_path == path
                else f"{res.logical_id} is deleted"
            )
            out.append(
                Consequence(
                    "destructive",
                    "worse",
                    path,
                    f"{res.type} {what}: {data} would be lost.{keep}",
                    data_lost=data,
                )
            )
            continue
        assert tc.replacement is not None
        rep = tc.replacement
        prop = rep.properties[0]
        change = by_path.get(path)
        attrs = change.attributes if change else ()
        new_value = property_value(tc.new.properties, prop) if tc.new is not None else None
        carrying = _carrying(property_value(res.properties, prop), new_value, attrs)
        verb = "may be replaced" if rep.conditional else "is replaced"
        named = [p for p in _NAME_PROPERTIES if p in res.properties and p not in rep.properties]
        custom = (
            f" CloudFormation cannot replace a resource with a custom name ({named[0]} unchanged):"
            " the deployment fails unless the name changes too."
            if named
            else ""
        )
        kind = "conditionally create-only" if rep.conditional else "create-only"
        why = "its type changes" if prop == "Type" else f"{', '.join(rep.properties)} is {kind}"
        out.append(
            Consequence(
                "destructive",
                "worse",
                path,
                f"{res.type} {res.logical_id} {verb} ({why}): {data} would be lost.{keep}{custom}",
                attribute=carrying.attribute if carrying else None,
                old=carrying.old if carrying else None,
                new=carrying.new if carrying else None,
                cfn_property=prop,
                data_lost=data,
            )
        )
    return out


def spec_destructive(changes: Sequence[ResourceChange]) -> list[Consequence]:
    """Stateful resources deleted or replaced, from the spec change alone (the default, without synthesis):
    removed, renamed to another key (a new logical id), or with a replacement from
    :mod:`archkit.diff.carriers` attached."""
    from archkit.diff.carriers import NAME_PROPERTY, carriers_of

    out: list[Consequence] = []
    for c in changes:
        data = DATA_OF.get(c.resource_type)
        if data is None:
            continue
        if c.kind == "removed":
            what = f"{c.name} is removed from the spec"
            out.append(
                Consequence(
                    "destructive",
                    "worse",
                    c.path,
                    f"{c.resource_type} {what}: {data} would be lost",
                    data_lost=data,
                )
            )
        elif c.kind == "renamed" and c.old_path is not None:
            what = (
                f"{c.old_name} is renamed to {c.path} ({c.name}): "
                f"CloudFormation deletes it and creates a new, empty {c.resource_type}"
            )
            out.append(
                Consequence(
                    "destructive",
                    "worse",
                    c.old_path,
                    f"{c.resource_type} {what}: {data} would be lost.",
                    data_lost=data,
                )
            )
        for rep in c.replacements:
            prop = rep.properties[0]
            carrying = next(
                (
                    a
                    for a in c.attributes
                    if prop
                    in {x.cfn_property for x in carriers_of(c.resource_type, f"{c.path}.{a.attribute}")}
                ),
                None,
            )
            verb = "may be replaced" if rep.conditional else "is replaced"
            kind = "conditionally create-only" if rep.conditional else "create-only"
            why = "its type changes" if prop == "Type" else f"{', '.join(rep.properties)} is {kind}"
            name_prop = NAME_PROPERTY.get(c.resource_type)
            custom = (
                f" CloudFormation cannot replace a resource with a custom name ({name_prop} unchanged):"
                " the deployment fails unless the name changes too."
                if name_prop and name_prop not in rep.properties and prop != "Type"
                else ""
            )
            old, new = (
                (carrying.old, carrying.new) if carrying else (c.old_name, c.name if c.old_name else None)
            )
            out.append(
                Consequence(
                    "destructive",
                    "worse",
                    c.path,
                    f"{c.resource_type} {c.name} {verb} ({why}): {data} would be lost.{custom}",
                    attribute=carrying.attribute if carrying else None,
                    old=old,
                    new=new,
                    cfn_property=prop,
                    data_lost=data,
                )
            )
    return out
