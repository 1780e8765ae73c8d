"""Data stack: KMS keys, roles and grants, the global table, failure queue, buckets and their policies."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
DATA, EDGE, REPLICA = "shop-prod-data", "shop-prod-edge", "shop-prod-data-us-west-2"


def test_kms_key_rotates_and_has_the_spec_alias(assembly):
    key_id, _ = assembly.one(
        DATA, "AWS::KMS::Key", Description="Encrypts the main table, secrets and backups"
    )
    template = assembly.template(DATA)
    template.has_resource_properties(
        "AWS::KMS::Key",
        {"EnableKeyRotation": True, "PendingWindowInDays": 30, "KeySpec": "SYMMETRIC_DEFAULT"},
    )
    template.has_resource_properties(
        "AWS::KMS::Alias",
        {"AliasName": "alias/shop-prod-data", "TargetKeyId": {"Fn::GetAtt": [key_id, "Arn"]}},
    )
    # The replica region holds its own key under the same alias (the global table refers to it by alias).
    assembly.template(REPLICA).has_resource_properties(
        "AWS::KMS::Alias", {"AliasName": "alias/shop-prod-data"}
    )
    assert assembly.regions[REPLICA] == "us-west-2"


def test_backup_role(assembly):
    assembly.template(DATA).has_resource_properties(
        "AWS::IAM::Role",
        {
            "RoleName": "shop-prod-backup",
            "Description": "Writes automated backups to backups/",
            "AssumeRolePolicyDocument": Match.object_like(
                {"Statement": [Match.object_like({"Principal": {"Service": "backup.amazonaws.com"}})]}
            ),
        },
    )


def test_main_table_is_a_global_table_with_every_spec_setting(assembly):
    key_id, _ = assembly.one(
        DATA, "AWS::KMS::Key", Description="Encrypts the main table, secrets and backups"
    )
    _, table = assembly.one(DATA, "AWS::DynamoDB::GlobalTable", TableName="shop-prod-main")
    props = table["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "user_id", "KeyType": "HASH"},
        {"AttributeName": "item_id", "KeyType": "RANGE"},
    ]
    assert props["GlobalSecondaryIndexes"] == [
        {
            "IndexName": "by_status",
            "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}
    replicas = {r["Region"]: r for r in props["Replicas"]}
    assert sorted(replicas) == ["us-east-1", "us-west-2"]
    for replica in replicas.values():
        assert replica["DeletionProtectionEnabled"] is True
        assert replica["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True,
            "RecoveryPeriodInDays": 35,
        }
        assert {"Key": "archkit:id", "Value": "tables.main"} in replica["Tags"]
        assert {"Key": "Project", "Value": "shop"} in replica["Tags"]
    assert replicas["us-east-1"]["SSESpecification"] == {"KMSMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]}}
    assert ":kms:us-west-2:" in str(replicas["us-west-2"]["SSESpecification"])
    assert "alias/shop-prod-data" in str(replicas["us-west-2"]["SSESpecification"])


def test_stream_failure_queue(assembly):
    assembly.template(DATA).has_resource_properties(
        "AWS::SQS::Queue",
        {
            "QueueName": "shop-prod-main-stream-failures",
            "SqsManagedSseEnabled": True,
            "MessageRetentionPeriod": 1209600,
        },
    )


def _statements(resource: dict) -> list[dict]:
    return resource["Properties"]["PolicyDocument"]["Statement"]


def _role_policy(assembly, function: str) -> list[dict]:
    role_id, _ = assembly.one(
        DATA, "AWS::IAM::Role", Description=f"Execution role of shop-prod-{function.replace('_', '-')}"
    )
    for policy in assembly.resources(DATA, "AWS::IAM::Policy").values():
        if policy["Properties"]["Roles"] == [{"Ref": role_id}]:
            return _statements(policy)
    return []


def test_read_grant_is_read_only_and_includes_the_index(assembly):
    table_id, _ = assembly.one(DATA, "AWS::DynamoDB::GlobalTable", TableName="shop-prod-main")
    statements = _role_policy(assembly, "get_user")
    assert statements[0]["Action"] == [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
    ]
    assert statements[0]["Resource"][0] == {"Fn::GetAtt": [table_id, "Arn"]}
    assert "table/shop-prod-main/index/*" in str(statements[0]["Resource"][1])
    assert statements[1]["Action"] == ["kms:Decrypt", "kms:DescribeKey"]
    assert statements[1]["Condition"] == {
        "StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}
    }
    assert not any("PutItem" in str(s["Action"]) for s in statements)


def test_bucket_grant_is_limited_to_the_prefix(assembly):
    statements = _role_policy(assembly, "get_user_id")
    objects = next(s for s in statements if "s3:PutObject" in s["Action"])
    assert objects["Action"] == ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    assert objects["Resource"] == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::shop-prod-assets/uploads/*"]]
    }
    listing = next(s for s in statements if s["Action"] == "s3:ListBucket")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["uploads/*"]}}
    # A function granted only the table gets no S3 access at all.
    assert not any("s3:" in str(s["Action"]) for s in _role_policy(assembly, "get_items"))


def test_functions_without_grants_have_no_data_policy(assembly):
    assert _role_policy(assembly, "authorizer") == []
    assert _role_policy(assembly, "rotate_secret") == []


def test_logs_bucket(assembly):
    bucket_id, bucket = assembly.one(DATA, "AWS::S3::Bucket", BucketName="shop-prod-logs")
    props = bucket["Properties"]
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    rule = props["LifecycleConfiguration"]["Rules"][0]
    assert rule["Id"] == "expire-logs"
    assert rule["ExpirationInDays"] == 365
    assert rule["Transitions"] == [{"StorageClass": "GLACIER", "TransitionInDays": 90}]
    _, policy = next(iter(assembly.resources(DATA, "AWS::S3::BucketPolicy").items()))
    by_sid = {s.get("Sid"): s for s in _statements(policy)}
    assert by_sid["S3ServerAccessLogs"]["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert by_sid["S3ServerAccessLogs"]["Condition"]["ArnLike"]["aws:SourceArn"] == [
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::shop-prod-assets"]]}
    ]
    assert by_sid["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert by_sid["DenyOutdatedTls"]["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}
    assert bucket_id in str(by_sid["DenyInsecureTransport"]["Resource"])


def test_assets_bucket_settings(assembly):
    _, bucket = assembly.one(EDGE, "AWS::S3::Bucket", BucketName="shop-prod-assets")
    props = bucket["Properties"]
    assert props["LoggingConfiguration"] == {
        "DestinationBucketName": "shop-prod-logs",
        "LogFilePrefix": "s3/shop-prod-assets/",
    }
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["IntelligentTieringConfigurations"] == [
        {
            "Id": "assets-archive-tiers",
            "Prefix": "uploads/",
            "Status": "Enabled",
            "Tierings": [
                {"AccessTier": "ARCHIVE_ACCESS", "Days": 90},
                {"AccessTier": "DEEP_ARCHIVE_ACCESS", "Days": 180},
            ],
        }
    ]
    rules = {r["Id"]: r for r in props["LifecycleConfiguration"]["Rules"]}
    assert rules["backups-to-glacier"]["Prefix"] == "backups/"
    assert rules["backups-to-glacier"]["Transitions"] == [{"StorageClass": "GLACIER", "TransitionInDays": 90}]
    assert rules["backups-to-glacier"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 365}
    assert rules["expire-temp-uploads"]["Prefix"] == "uploads/temp/"
    assert rules["expire-temp-uploads"]["ExpirationInDays"] == 7
    assert rules["expire-temp-uploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}


def test_assets_bucket_policy_scopes_each_statement_to_its_prefix(assembly):
    bucket_id, _ = assembly.one(EDGE, "AWS::S3::Bucket", BucketName="shop-prod-assets")
    distribution_id = next(iter(assembly.resources(EDGE, "AWS::CloudFront::Distribution")))
    _, policy = next(iter(assembly.resources(EDGE, "AWS::S3::BucketPolicy").items()))
    by_sid = {s.get("Sid"): s for s in _statements(policy)}
    assert sorted(by_sid) == [
        "BackupRoleWriteBackups",
        "CloudFrontReadStatic",
        "DenyInsecureTransport",
        "DenyOutdatedTls",
        "LambdaAddItemReadWriteUploads",
        "LambdaReadWriteUploads",
    ]

    def prefix_of(statement: dict) -> str:
        return statement["Resource"]["Fn::Join"][1][1]

    cloudfront = by_sid["CloudFrontReadStatic"]
    assert cloudfront["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert cloudfront["Action"] == "s3:GetObject"
    assert prefix_of(cloudfront) == "/static/*"
    assert cloudfront["Resource"]["Fn::Join"][1][0] == {"Fn::GetAtt": [bucket_id, "Arn"]}
    source = cloudfront["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert {"Ref": distribution_id} in source["Fn::Join"][1]
    assert prefix_of(by_sid["LambdaReadWriteUploads"]) == "/uploads/*"
    assert "ExportsOutputFnGetAttExecutionRolesRolegetuserid" in str(
        by_sid["LambdaReadWriteUploads"]["Principal"]
    )
    assert "ExportsOutputFnGetAttExecutionRolesRoleadditem" in str(
        by_sid["LambdaAddItemReadWriteUploads"]["Principal"]
    )
    backup = by_sid["BackupRoleWriteBackups"]
    assert backup["Action"] == ["s3:AbortMultipartUpload", "s3:PutObject"]
    assert prefix_of(backup) == "/backups/*"
    assert "SecurityRolebackup" in str(backup["Principal"])
