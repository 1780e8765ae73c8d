"""CDK's custom resources: their effect, not their Lambda. The provider functions CDK ships run on AWS;
here the effect each one has is applied directly, and the provider function itself is still created like any
other function of the template."""

from __future__ import annotations

import json
import re
from typing import Any

from botocore.exceptions import ClientError

from archkit.emulate.registry import Created, ResourceContext, handler


@handler("Custom::LogRetention")
def log_retention(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    """CDK's log-retention provider: create the log group if missing, then set (or remove) its retention."""
    logs = ctx.client("logs", p.get("LogGroupRegion") or ctx.region)
    name = p["LogGroupName"]
    if not logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups"):
        logs.create_log_group(logGroupName=name)
    if "RetentionInDays" in p:
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(p["RetentionInDays"]))
    else:
        logs.delete_retention_policy(logGroupName=name)
    return Created(name)


@handler("Custom::CrossRegionExportWriter")
def cross_region_export_writer(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    """CDK's cross-region references: the writer puts each export in SSM in the consumer's region."""
    props = p["WriterProps"]
    ssm = ctx.client("ssm", props["region"])
    for name, value in props.get("exports", {}).items():
        ssm.put_parameter(Name=name, Value=str(value), Type="String", Overwrite=True)
    return Created(ctx.physical_name(128))


@handler("Custom::CrossRegionExportReader")
def cross_region_export_reader(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    """The reader reads them back; consumers `Fn::GetAtt` the reader by parameter name."""
    props = p["ReaderProps"]
    ssm = ctx.client("ssm", props.get("region") or ctx.region)
    values = {name: ssm.get_parameter(Name=name)["Parameter"]["Value"] for name in props.get("imports", {})}
    return Created(ctx.physical_name(128), values)


@handler("Custom::AWS")
def aws_sdk_call(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    """CDK's AwsCustomResource: its ``Create`` SDK call (JavaScript SDK names) made with boto3, e.g. the
    revocation of the VPC default security group's rules (``network.restrict_default_security_group``)."""
    call = json.loads(p["Create"]) if isinstance(p["Create"], str) else p["Create"]
    method = re.sub(r"(?<!^)(?=[A-Z])", "_", call["action"]).lower()
    client = ctx.client(call["service"].lower(), call.get("region") or ctx.region)
    try:
        getattr(client, method)(**call.get("parameters", {}))
    except ClientError as error:
        ignored = call.get("ignoreErrorCodesMatching")
        if not ignored or not re.search(ignored, error.response["Error"]["Code"]):
            raise
    return Created(call.get("physicalResourceId", {}).get("id") or ctx.logical_id)


@handler("Custom::S3BucketNotifications")
def bucket_notifications(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    """CDK's bucket-notifications handler: the bucket's notification configuration, as given (the handler
    merges it with configurations it does not manage; archkit's buckets have none)."""
    config = {k: v for k, v in p["NotificationConfiguration"].items() if v}
    ctx.client("s3").put_bucket_notification_configuration(
        Bucket=p["BucketName"], NotificationConfiguration=config
    )
    return Created(ctx.physical_name(128))
