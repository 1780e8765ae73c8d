"""Model hygiene: every field is described and has an explicit default unless a value must be given."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import BaseModel

from archkit.spec import ArchSpec
from archkit.spec.base import SpecModel

# Fields without a default: a value must be given, there is no sensible default.
REQUIRED = {
    "ScheduleSpec.expression",
    "EventRuleSpec.pattern",
    "QueueTriggerSpec.queue",
    "ArchSpec.project",
    "ArchSpec.owner",
    "SubnetSpec.az",
    "SubnetSpec.cidr",
    "AlbTargetSpec.paths",
    "VpcEndpointSpec.service",
    "SecurityGroupSpec.description",
    "LayerSpec.description",
    "LayerSpec.code",
    "FunctionSpec.handler",
    "KeySpec.name",
    "IndexSpec.partition_key",
    "TableSpec.partition_key",
    "PrefixSpec.path",
    "BucketPolicySpec.sid",
    "BucketPolicySpec.principal",
    "BucketPolicySpec.prefix",
    "TransitionSpec.storage_class",
    "TransitionSpec.days",
    "LifecycleRuleSpec.id",
    "LifecycleRuleSpec.prefix",
    "AuthorizerSpec.function",
    "QuotaSpec.limit",
    "OriginVerifySpec.secret",
    "ApiDomainSpec.domain_name",
    "WafRateLimitSpec.limit",
    "WafManagedGroupSpec.name",
    "WafRuleSpec.name",
    "CdnOriginSpec.domain_name",
    "CdnBehaviorSpec.path_pattern",
    "CdnBehaviorSpec.origin",
    "CdnErrorResponseSpec.error_code",
    "KmsKeySpec.description",
    "RoleSpec.description",
    "RoleSpec.assumed_by",
    "SecretRotationSpec.function",
    "SecretSpec.description",
    "BudgetAlertSpec.threshold_percent",
    "BudgetSpec.amount",
    "SuppressionSpec.rule",
    "SuppressionSpec.resource",
    "SuppressionSpec.reason",
    "NagSuppressionSpec.rule",
    "NagSuppressionSpec.reason",
    "IgnoreSpec.resource",
    "IgnoreSpec.reason",
}


def _models(annotation: typing.Any, seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for info in annotation.model_fields.values():
            yield from _models(info.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        yield from _models(arg, seen)


ALL_MODELS = list(_models(ArchSpec, set()))


def test_models_are_found() -> None:
    names = {m.__name__ for m in ALL_MODELS}
    assert {
        "ArchSpec",
        "FunctionSpec",
        "TableSpec",
        "BucketSpec",
        "ApiSpec",
        "WafSpec",
        "BudgetSpec",
    } <= names
    assert len(ALL_MODELS) >= 40


def test_every_model_forbids_unknown_keys() -> None:
    assert [m.__name__ for m in ALL_MODELS if m.model_config.get("extra") != "forbid"] == []
    assert all(issubclass(m, SpecModel) for m in ALL_MODELS)


def test_every_field_is_described() -> None:
    undescribed = [
        f"{m.__name__}.{name}"
        for m in ALL_MODELS
        for name, info in m.model_fields.items()
        if not info.description
    ]
    assert undescribed == []


def test_only_listed_fields_are_required() -> None:
    required = {
        f"{m.__name__}.{n}" for m in ALL_MODELS for n, info in m.model_fields.items() if info.is_required()
    }
    assert required == REQUIRED


def test_defaults_are_explicit_in_the_schema() -> None:
    # Collections and scalars carry their default in the JSON Schema, so editors show it.
    schema = ArchSpec.model_json_schema()
    function = schema["$defs"]["FunctionSpec"]["properties"]
    assert function["memory"]["default"] == 256
    assert function["tiers"]["default"] == ["handler", "business_logic", "data_access"]
    assert function["environment"]["default"] == {}
    assert schema["$defs"]["CostSpec"]["properties"]["allocation_tags"]["default"] == [
        "Project",
        "Environment",
        "Owner",
    ]


def test_closed_sets_are_enums_in_the_schema() -> None:
    schema = ArchSpec.model_json_schema()["$defs"]
    assert schema["FunctionSpec"]["properties"]["runtime"]["enum"][:2] == ["python3.11", "python3.12"]
    assert schema["TableSpec"]["properties"]["billing"]["enum"] == ["on_demand", "provisioned"]
    assert schema["VpcEndpointSpec"]["properties"]["type"]["enum"] == ["gateway", "interface"]


def test_shorthand_models_accept_a_string_in_the_schema() -> None:
    defs = ArchSpec.model_json_schema()["$defs"]
    for name in ("MethodSpec", "GrantSpec", "KeySpec"):
        assert defs[name]["anyOf"][0]["type"] == "string", name
        assert defs[name]["anyOf"][1]["additionalProperties"] is False, name
