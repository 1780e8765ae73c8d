"""Application stack, compute part: layers, functions, secrets, stream mapping, rotation."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cdk")]
APP = "shop-prod-application"

FUNCTIONS = {
    # name: (handler, memory, timeout, reserved, layers, secrets)
    "get-user": ("handlers.users.get_user", 512, 10, 50, ["common", "aws-sdk"], ["jwt-secret"]),
    "add-user": ("handlers.users.add_user", 512, 10, 20, ["common", "aws-sdk"], ["jwt-secret"]),
    "get-user-id": ("handlers.users.user_by_id", 512, 10, 50, ["common", "aws-sdk"], ["jwt-secret"]),
    "get-items": ("handlers.items.get_items", 512, 10, 50, ["common", "aws-sdk"], ["api-keys"]),
    "add-item": ("handlers.items.add_item", 512, 10, 20, ["common", "aws-sdk"], ["api-keys"]),
    "auth": (
        "handlers.auth.handler",
        256,
        10,
        20,
        ["common", "aws-sdk", "db-drivers"],
        ["jwt-secret", "db-password"],
    ),
    "authorizer": ("handlers.authorizer.handler", 256, 5, 50, ["common"], ["jwt-secret"]),
    "process-stream": ("handlers.stream.handler", 256, 60, 5, ["common", "aws-sdk"], []),
    "rotate-secret": ("handlers.rotation.handler", 256, 30, 2, ["common", "aws-sdk"], []),
}


def _ids(assembly, cfn_type: str, key: str) -> dict[str, str]:
    """Physical name → logical id for resources with a name property ``key``."""
    return {v["Properties"][key]: k for k, v in assembly.resources(APP, cfn_type).items()}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_settings(assembly, name):
    handler, memory, timeout, reserved, layers, secrets = FUNCTIONS[name]
    _, fn = assembly.one(APP, "AWS::Lambda::Function", FunctionName=f"shop-prod-{name}")
    props = fn["Properties"]
    assert props["Handler"] == handler
    assert props["Runtime"] == "python3.12"
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] == memory
    assert props["Timeout"] == timeout
    assert props["ReservedConcurrentExecutions"] == reserved
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["EphemeralStorage"] == {"Size": 512}
    layer_ids = _ids(assembly, "AWS::Lambda::LayerVersion", "LayerName")
    assert props["Layers"] == [{"Ref": layer_ids[f"shop-prod-{layer}"]} for layer in layers]
    vpc = props["VpcConfig"]
    assert len(vpc["SubnetIds"]) == 3
    assert all("NetworkPrivate" in str(s) for s in vpc["SubnetIds"])
    assert len(vpc["SecurityGroupIds"]) == 1 and "SecurityGrouplambda" in str(vpc["SecurityGroupIds"][0])
    env = props["Environment"]["Variables"]
    secret_ids = _ids(assembly, "AWS::SecretsManager::Secret", "Name")
    for secret in secrets:
        assert env[f"{secret.upper().replace('-', '_')}_SECRET_ARN"] == {
            "Ref": secret_ids[f"shop-prod-{secret}"]
        }
    assert env["ENVIRONMENT"] == "prod"
    group_ids = _ids(assembly, "AWS::Logs::LogGroup", "LogGroupName")
    assert props["LoggingConfig"] == {"LogGroup": {"Ref": group_ids[f"/aws/lambda/shop-prod-{name}"]}}


def test_environment_placeholders_are_resolved(assembly):
    _, fn = assembly.one(APP, "AWS::Lambda::Function", FunctionName="shop-prod-get-user")
    env = fn["Properties"]["Environment"]["Variables"]
    assert env["API_ENDPOINT"] == "https://shop.example.com/api"
    assert env["TABLE_NAME"] == "shop-prod-main"
    assert "${" not in str(env)


def test_log_groups_keep_the_spec_retention(assembly):
    for name in FUNCTIONS:
        assembly.template(APP).has_resource_properties(
            "AWS::Logs::LogGroup", {"LogGroupName": f"/aws/lambda/shop-prod-{name}", "RetentionInDays": 30}
        )


@pytest.mark.parametrize("layer", ["common", "aws-sdk", "db-drivers"])
def test_layers(assembly, layer):
    assembly.template(APP).has_resource_properties(
        "AWS::Lambda::LayerVersion",
        {
            "LayerName": f"shop-prod-{layer}",
            "CompatibleRuntimes": ["python3.12"],
            "CompatibleArchitectures": ["arm64"],
            "Content": Match.object_like({"S3Key": Match.string_like_regexp(r"^[0-9a-f]{64}\.zip$")}),
        },
    )


@pytest.mark.parametrize("secret", ["db-password", "api-keys", "jwt-secret"])
def test_secrets_are_generated_and_encrypted_with_the_data_key(assembly, secret):
    _, resource = assembly.one(APP, "AWS::SecretsManager::Secret", Name=f"shop-prod-{secret}")
    props = resource["Properties"]
    generated = {"ExcludePunctuation": True, "IncludeSpace": False, "PasswordLength": 32}
    if secret == "db-password":  # rds.credentials_secret: the database's master credentials as JSON
        generated |= {
            "GenerateStringKey": "password",
            "SecretStringTemplate": '{"username": "archkit_admin"}',
        }
    assert props["GenerateSecretString"] == generated
    assert "SecurityKeydata" in str(props["KmsKeyId"])


@pytest.mark.parametrize(("secret", "days"), [("db-password", 30), ("api-keys", 90), ("jwt-secret", 30)])
def test_rotation_schedules_use_the_rotation_function(assembly, secret, days):
    secret_id = _ids(assembly, "AWS::SecretsManager::Secret", "Name")[f"shop-prod-{secret}"]
    rotate_id = _ids(assembly, "AWS::Lambda::Function", "FunctionName")["shop-prod-rotate-secret"]
    assembly.template(APP).has_resource_properties(
        "AWS::SecretsManager::RotationSchedule",
        {
            "SecretId": {"Ref": secret_id},
            "RotationLambdaARN": {"Fn::GetAtt": [rotate_id, "Arn"]},
            "RotationRules": {"ScheduleExpression": f"rate({days} days)"},
        },
    )


def test_stream_mapping_with_failure_destination(assembly):
    fn_id = _ids(assembly, "AWS::Lambda::Function", "FunctionName")["shop-prod-process-stream"]
    assembly.template(APP).has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "FunctionName": {"Ref": fn_id},
            "EventSourceArn": {"Fn::ImportValue": Match.string_like_regexp("DataTablemain.*StreamArn")},
            "BatchSize": 100,
            "StartingPosition": "LATEST",
            "MaximumRetryAttempts": 3,
            "BisectBatchOnFunctionError": True,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "DestinationConfig": {
                "OnFailure": {
                    "Destination": {"Fn::ImportValue": Match.string_like_regexp("StreamFailuresmain.*Arn")}
                }
            },
        },
    )


def _runtime_statements(assembly, name: str) -> list[dict]:
    for key, policy in assembly.resources(APP, "AWS::IAM::Policy").items():
        if key.startswith(f"ComputeFunction{name.replace('-', '').replace('_', '')}Role"):
            return policy["Properties"]["PolicyDocument"]["Statement"]
    raise AssertionError(f"no runtime policy for {name}")


def test_runtime_permissions_name_their_resources(assembly):
    statements = _runtime_statements(assembly, "auth")
    log_group = _ids(assembly, "AWS::Logs::LogGroup", "LogGroupName")["/aws/lambda/shop-prod-auth"]
    logs = next(s for s in statements if s["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"])
    assert logs["Resource"] == {"Fn::GetAtt": [log_group, "Arn"]}
    secret_ids = _ids(assembly, "AWS::SecretsManager::Secret", "Name")
    reads = [
        s
        for s in statements
        if s["Action"] == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    ]
    assert sorted(str(s["Resource"]) for s in reads) == sorted(
        str({"Ref": secret_ids[n]}) for n in ("shop-prod-jwt-secret", "shop-prod-db-password")
    )
    decrypt = next(s for s in statements if s["Action"] == "kms:Decrypt")
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}
    }
    assert {
        "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        "Effect": "Allow",
        "Resource": "*",
    } in statements
    # The stream consumer alone may read the stream.
    assert "dynamodb:GetRecords" not in str(statements)
    stream = _runtime_statements(assembly, "process_stream")
    assert any(
        s["Action"] == ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
        for s in stream
    )
