"""Template comparison on hand-made resources: what CloudFormation replaces, per the create-only data."""

from __future__ import annotations

from archkit.diff.templates import TemplateResource, template_changes


def res(type_: str, props: dict, logical_id: str = "DataTablemain", path: str | None = "tables.main"):
    return TemplateResource("data", logical_id, type_, props, path, "Retain")


def test_type_change_replaces() -> None:
    base = {("data", "DataTablemain"): res("AWS::DynamoDB::Table", {"TableName": "t"})}
    head = {("data", "DataTablemain"): res("AWS::DynamoDB::GlobalTable", {"TableName": "t"})}
    (change,) = template_changes(base, head)
    assert change.kind == "replaced" and change.replacement is not None
    assert change.replacement.properties == ("Type",)


def test_create_only_property_replaces_and_others_do_not() -> None:
    base = {("data", "B"): res("AWS::S3::Bucket", {"BucketName": "a", "VersioningConfiguration": {}}, "B")}
    renamed = {("data", "B"): res("AWS::S3::Bucket", {"BucketName": "b", "VersioningConfiguration": {}}, "B")}
    updated = {
        ("data", "B"): res("AWS::S3::Bucket", {"BucketName": "a", "VersioningConfiguration": {"S": 1}}, "B")
    }
    (change,) = template_changes(base, renamed)
    assert change.replacement is not None
    assert (change.replacement.properties, change.replacement.conditional) == (("BucketName",), False)
    assert template_changes(base, updated) == []


def test_deleted_and_created() -> None:
    old = {("data", "A"): res("AWS::SQS::Queue", {}, "A", None)}
    new = {("data", "B"): res("AWS::SQS::Queue", {}, "B", None)}
    assert [(c.kind, c.resource.logical_id) for c in template_changes(old, new)] == [
        ("deleted", "A"),
        ("created", "B"),
    ]
