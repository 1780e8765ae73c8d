"""S3 buckets and bucket policies."""

from __future__ import annotations

import json
from typing import Any

from archkit.emulate.handlers.common import as_bool, as_json
from archkit.emulate.registry import Created, DeployError, ResourceContext, handler


def lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule in the S3 API's shape."""
    known = {
        "Id",
        "Status",
        "Prefix",
        "ExpirationInDays",
        "Transitions",
        "NoncurrentVersionExpiration",
        "NoncurrentVersionExpirationInDays",
        "NoncurrentVersionTransitions",
        "AbortIncompleteMultipartUpload",
        "ExpiredObjectDeleteMarker",
    }
    if set(rule) - known:
        raise DeployError(f"lifecycle rule properties not supported: {sorted(set(rule) - known)}")
    out: dict[str, Any] = {
        "ID": rule["Id"],
        "Status": rule["Status"],
        "Filter": {"Prefix": rule.get("Prefix", "")},
    }
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if rule.get("ExpiredObjectDeleteMarker"):
        out["Expiration"] = {"ExpiredObjectDeleteMarker": True}
    if rule.get("Transitions"):
        out["Transitions"] = [
            {"Days": int(t["TransitionInDays"]), "StorageClass": t["StorageClass"]}
            for t in rule["Transitions"]
        ]
    noncurrent = rule.get("NoncurrentVersionExpiration") or (
        {"NoncurrentDays": rule["NoncurrentVersionExpirationInDays"]}
        if "NoncurrentVersionExpirationInDays" in rule
        else None
    )
    if noncurrent:
        out["NoncurrentVersionExpiration"] = {k: int(v) for k, v in noncurrent.items()}
    if rule.get("NoncurrentVersionTransitions"):
        out["NoncurrentVersionTransitions"] = [
            {"NoncurrentDays": int(t["TransitionInDays"]), "StorageClass": t["StorageClass"]}
            for t in rule["NoncurrentVersionTransitions"]
        ]
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": int(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])
        }
    return out


LOGGING_PRINCIPAL = "logging.s3.amazonaws.com"


def _grants_log_delivery(policy: dict[str, Any], target: str, prefix: str) -> bool:
    """Whether a bucket policy lets S3 server access logging write under `prefix` (IAM wildcards)."""
    import fnmatch

    key_arn = f"arn:aws:s3:::{target}/{prefix}x"
    for st in policy.get("Statement", []):
        service = (st.get("Principal") or {}).get("Service")
        actions = st.get("Action", [])
        resources = st.get("Resource", [])
        if st.get("Effect") != "Allow" or LOGGING_PRINCIPAL not in (
            [service] if isinstance(service, str) else service or []
        ):
            continue
        if "s3:PutObject" not in ([actions] if isinstance(actions, str) else actions):
            continue
        if any(
            fnmatch.fnmatchcase(key_arn, r)
            for r in ([resources] if isinstance(resources, str) else resources)
        ):
            return True
    return False


def _server_access_logging(ctx: ResourceContext, bucket: str, target: str, prefix: str) -> None:
    s3 = ctx.client("s3")
    status = {"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": prefix}}
    try:
        s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus=status)
        return
    except s3.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] != "InvalidTargetBucketForLogging":
            raise
    # moto accepts a policy grant only on exactly `<target>/<prefix>*`; S3 honours any grant covering the
    # prefix. If the target's policy covers it, enable logging under a temporary exact grant, then restore.
    original = s3.get_bucket_policy(Bucket=target)["Policy"]
    doc = json.loads(original)
    if not _grants_log_delivery(doc, target, prefix):
        raise DeployError(f"bucket {target} does not let S3 server access logging write {prefix!r}")
    exact = {
        "Effect": "Allow",
        "Principal": {"Service": LOGGING_PRINCIPAL},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{target}/{prefix}*",
    }
    s3.put_bucket_policy(Bucket=target, Policy=json.dumps({**doc, "Statement": [*doc["Statement"], exact]}))
    try:
        s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus=status)
    finally:
        s3.put_bucket_policy(Bucket=target, Policy=original)
    ctx.gap(
        "LoggingConfiguration",
        "moto checks the log-delivery grant literally; applied under a temporary exact grant",
    )


_BUCKET_PROPS = frozenset(
    {
        "BucketName",
        "Tags",
        "BucketEncryption",
        "VersioningConfiguration",
        "LifecycleConfiguration",
        "PublicAccessBlockConfiguration",
        "OwnershipControls",
        "LoggingConfiguration",
        "IntelligentTieringConfigurations",
    }
)


@handler("AWS::S3::Bucket")
def bucket(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    if set(p) - _BUCKET_PROPS:
        raise DeployError(f"bucket properties not supported: {sorted(set(p) - _BUCKET_PROPS)}")
    s3 = ctx.client("s3")
    name = p.get("BucketName") or ctx.physical_name(63, lowercase=True)
    kwargs: dict[str, Any] = {"Bucket": name}
    if ctx.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": ctx.region}
    s3.create_bucket(**kwargs)
    if ctx.tags(p):
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": ctx.tags(p)})
    if "PublicAccessBlockConfiguration" in p:
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                k: as_bool(v) for k, v in p["PublicAccessBlockConfiguration"].items()
            },
        )
    if "OwnershipControls" in p:
        s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=p["OwnershipControls"])
    if "BucketEncryption" in p:
        rules = [
            {
                "ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"],
                **({"BucketKeyEnabled": as_bool(r["BucketKeyEnabled"])} if "BucketKeyEnabled" in r else {}),
            }
            for r in p["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        ]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if "VersioningConfiguration" in p:
        s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration={"Status": p["VersioningConfiguration"]["Status"]}
        )
    if "LifecycleConfiguration" in p:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name,
            LifecycleConfiguration={
                "Rules": [lifecycle_rule(r) for r in p["LifecycleConfiguration"]["Rules"]]
            },
        )
    if "LoggingConfiguration" in p:
        lc = p["LoggingConfiguration"]
        _server_access_logging(ctx, name, lc.get("DestinationBucketName", name), lc.get("LogFilePrefix", ""))
    for tiering in p.get("IntelligentTieringConfigurations", []):
        ctx.gap(
            f"IntelligentTieringConfigurations[{tiering['Id']}]",
            "moto has no PutBucketIntelligentTieringConfiguration (verify reports it not_checked)",
        )
    return Created(
        name,
        {
            "Arn": f"arn:aws:s3:::{name}",
            "DomainName": f"{name}.s3.amazonaws.com",
            "RegionalDomainName": f"{name}.s3.{ctx.region}.amazonaws.com",
            "DualStackDomainName": f"{name}.s3.dualstack.{ctx.region}.amazonaws.com",
            "WebsiteURL": f"http://{name}.s3-website-{ctx.region}.amazonaws.com",
        },
    )


@handler("AWS::S3::BucketPolicy")
def bucket_policy(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    ctx.client("s3").put_bucket_policy(Bucket=p["Bucket"], Policy=as_json(p["PolicyDocument"]))
    return Created(p["Bucket"])
