"""Lambda: layers, functions, permissions, event source mappings."""

from __future__ import annotations

from typing import Any

from archkit.emulate.registry import Created, DeployError, ResourceContext, handler


def _code(ctx: ResourceContext, code: dict[str, Any]) -> dict[str, Any]:
    if "S3Bucket" in code:
        return {k: code[k] for k in ("S3Bucket", "S3Key", "S3ObjectVersion") if k in code}
    if "ZipFile" in code:
        import io
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(zipfile.ZipInfo("index.py", (1980, 1, 1, 0, 0, 0)), code["ZipFile"])
        return {"ZipFile": buf.getvalue()}
    raise DeployError(f"unsupported code location {sorted(code)}")


@handler("AWS::Lambda::LayerVersion")
def layer(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "LayerName": p.get("LayerName") or ctx.physical_name(140),
        "Content": _code(ctx, p["Content"]),
    }
    for prop in ("Description", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo"):
        if prop in p:
            kwargs[prop] = p[prop]
    v = ctx.client("lambda").publish_layer_version(**kwargs)
    return Created(v["LayerVersionArn"], {"LayerVersionArn": v["LayerVersionArn"]})


_FUNCTION_PROPS = (
    "Runtime",
    "Role",
    "Handler",
    "Description",
    "Timeout",
    "MemorySize",
    "Environment",
    "VpcConfig",
    "TracingConfig",
    "Layers",
    "Architectures",
    "EphemeralStorage",
    "KmsKeyArn",
    "DeadLetterConfig",
    "LoggingConfig",
    "PackageType",
)


@handler("AWS::Lambda::Function")
def function(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    lam = ctx.client("lambda")
    name = p.get("FunctionName") or ctx.physical_name(64)
    unknown = set(p) - {*_FUNCTION_PROPS, "FunctionName", "Code", "Tags", "ReservedConcurrentExecutions"}
    if unknown:
        raise DeployError(f"function properties not supported: {sorted(unknown)}")
    kwargs: dict[str, Any] = {"FunctionName": name, "Code": _code(ctx, p["Code"])}
    for prop in _FUNCTION_PROPS:
        if prop in p:
            kwargs[prop.replace("KmsKeyArn", "KMSKeyArn")] = p[prop]
    for prop in ("Timeout", "MemorySize"):
        if prop in kwargs:
            kwargs[prop] = int(kwargs[prop])
    if "EphemeralStorage" in kwargs:
        kwargs["EphemeralStorage"] = {"Size": int(kwargs["EphemeralStorage"]["Size"])}
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tag_dict(p)
    f = lam.create_function(**kwargs)
    if "ReservedConcurrentExecutions" in p:
        lam.put_function_concurrency(
            FunctionName=name, ReservedConcurrentExecutions=int(p["ReservedConcurrentExecutions"])
        )
    return Created(name, {"Arn": f["FunctionArn"]})


@handler("AWS::Lambda::Permission")
def permission(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "FunctionName": p["FunctionName"],
        "StatementId": ctx.physical_name(100),
        "Action": p["Action"],
        "Principal": p["Principal"],
    }
    for prop in ("SourceArn", "SourceAccount", "EventSourceToken", "PrincipalOrgID", "FunctionUrlAuthType"):
        if prop in p:
            kwargs[prop] = p[prop]
    ctx.client("lambda").add_permission(**kwargs)
    return Created(kwargs["StatementId"])


_MAPPING_PROPS = (
    "EventSourceArn",
    "FunctionName",
    "BatchSize",
    "StartingPosition",
    "Enabled",
    "MaximumRetryAttempts",
    "BisectBatchOnFunctionError",
    "DestinationConfig",
    "FunctionResponseTypes",
    "ParallelizationFactor",
    "MaximumBatchingWindowInSeconds",
    "MaximumRecordAgeInSeconds",
    "FilterCriteria",
)


@handler("AWS::Lambda::EventSourceMapping")
def event_source_mapping(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    unknown = set(p) - {*_MAPPING_PROPS, "Tags"}
    if unknown:
        raise DeployError(f"event source mapping properties not supported: {sorted(unknown)}")
    kwargs = {k: p[k] for k in _MAPPING_PROPS if k in p}
    for prop in (
        "BatchSize",
        "MaximumRetryAttempts",
        "ParallelizationFactor",
        "MaximumBatchingWindowInSeconds",
        "MaximumRecordAgeInSeconds",
    ):
        if prop in kwargs:
            kwargs[prop] = int(kwargs[prop])
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tag_dict(p)
    m = ctx.client("lambda").create_event_source_mapping(**kwargs)
    return Created(m["UUID"], {"Id": m["UUID"]})


@handler("AWS::Lambda::Version")
def version(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs = {k: p[k] for k in ("FunctionName", "Description") if k in p}
    v = ctx.client("lambda").publish_version(**kwargs)
    return Created(v["FunctionArn"], {"Version": v["Version"], "FunctionArn": v["FunctionArn"]})


@handler("AWS::Lambda::Alias")
def alias(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    lam = ctx.client("lambda")
    kwargs = {k: p[k] for k in ("FunctionName", "FunctionVersion", "Name", "Description") if k in p}
    a = lam.create_alias(**kwargs)
    provisioned = (p.get("ProvisionedConcurrencyConfig") or {}).get("ProvisionedConcurrentExecutions")
    if provisioned is not None:
        ctx.gap("ProvisionedConcurrencyConfig", "moto implements no provisioned concurrency API")
    return Created(a["AliasArn"], {"AliasArn": a["AliasArn"]})


@handler("AWS::Lambda::EventInvokeConfig")
def event_invoke_config(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {"FunctionName": p["FunctionName"]}
    if p.get("Qualifier") not in (None, "$LATEST"):
        kwargs["Qualifier"] = p["Qualifier"]
    if "MaximumRetryAttempts" in p:
        kwargs["MaximumRetryAttempts"] = int(p["MaximumRetryAttempts"])
    if "MaximumEventAgeInSeconds" in p:
        kwargs["MaximumEventAgeInSeconds"] = int(p["MaximumEventAgeInSeconds"])
    if "DestinationConfig" in p:
        kwargs["DestinationConfig"] = p["DestinationConfig"]
    ctx.client("lambda").put_function_event_invoke_config(**kwargs)
    return Created(ctx.physical_name(128))
