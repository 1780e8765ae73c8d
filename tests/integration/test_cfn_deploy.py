"""The deployer (`archkit.emulate.deploy`) on a small hand-written cloud assembly: intrinsic functions,
conditions, exports across stacks, CDK's cross-region references through SSM and its log-retention custom
resource; and the capabilities document the emulator serves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archkit.emulate.deploy import deploy_assembly
from archkit.emulate.registry import DeployError

pytestmark = [pytest.mark.slow]

PRODUCER: dict[str, Any] = {
    "Parameters": {"Stage": {"Type": "String", "Default": "prod"}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
    },
    "Resources": {
        "Queue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": {"Fn::Sub": "${AWS::StackName}-${Stage}-jobs"},
                "VisibilityTimeout": {"Fn::If": ["IsProd", 60, 30]},
                "Tags": [{"Key": "Project", "Value": "demo"}],
            },
        },
        "DevOnly": {"Type": "AWS::SQS::Queue", "Condition": "IsDev", "Properties": {"QueueName": "never"}},
        "Logs": {
            "Type": "Custom::LogRetention",
            "Properties": {
                "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider",
                "LogGroupName": "/demo/app",
                "RetentionInDays": 14,
            },
        },
        "Writer": {
            "Type": "Custom::CrossRegionExportWriter",
            "Properties": {
                "WriterProps": {
                    "region": "us-west-2",
                    "exports": {"/cdk/exports/consumer/queue-arn": {"Fn::GetAtt": ["Queue", "Arn"]}},
                }
            },
        },
    },
    "Outputs": {
        "QueueName": {
            "Value": {"Fn::Select": [1, {"Fn::Split": [":", {"Fn::GetAtt": ["Queue", "Arn"]}]}]},
            "Export": {"Name": "producer-partition"},
        }
    },
}

CONSUMER: dict[str, Any] = {
    "Resources": {
        "Reader": {
            "Type": "Custom::CrossRegionExportReader",
            "Properties": {
                "ReaderProps": {
                    "region": "us-west-2",
                    "prefix": "consumer",
                    "imports": {
                        "/cdk/exports/consumer/queue-arn": "{{resolve:ssm:/cdk/exports/consumer/queue-arn}}"
                    },
                }
            },
        },
        "Copy": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {
                "Name": "/demo/copied-arn",
                "Type": "String",
                "Value": {"Fn::GetAtt": ["Reader", "/cdk/exports/consumer/queue-arn"]},
            },
        },
    },
}


def _assembly(tmp_path: Path, stacks: dict[str, tuple[str, dict[str, Any], list[str]]]) -> Path:
    artifacts = {}
    for name, (region, template, deps) in stacks.items():
        (tmp_path / f"{name}.template.json").write_text(json.dumps(template))
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "environment": f"aws://unknown-account/{region}",
            "properties": {"templateFile": f"{name}.template.json"},
            "dependencies": deps,
        }
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": artifacts}))
    return tmp_path


def test_intrinsics_conditions_exports_and_cdk_custom_resources(tmp_path: Path, emulator: str) -> None:
    cdk_out = _assembly(
        tmp_path, {"consumer": ("us-west-2", CONSUMER, ["producer"]), "producer": ("us-east-1", PRODUCER, [])}
    )
    x = deploy_assembly(cdk_out, emulator)
    queue_arn = f"arn:aws:sqs:us-east-1:{x.account}:producer-prod-jobs"
    sqs = x.client("sqs", "us-east-1")
    url = sqs.get_queue_url(QueueName="producer-prod-jobs")["QueueUrl"]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "QueueArn"])[
        "Attributes"
    ]
    assert attrs == {"VisibilityTimeout": "60", "QueueArn": queue_arn}
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"Project": "demo"}
    assert ("producer", "DevOnly") not in x.resources
    groups = x.client("logs", "us-east-1").describe_log_groups(logGroupNamePrefix="/demo/app")["logGroups"]
    assert [(g["logGroupName"], g["retentionInDays"]) for g in groups] == [("/demo/app", 14)]
    copied = x.client("ssm", "us-west-2").get_parameter(Name="/demo/copied-arn")["Parameter"]["Value"]
    assert copied == queue_arn
    assert x.exports == {"producer-partition": "aws"}


def test_a_type_without_handler_is_an_error_naming_it(tmp_path: Path, emulator: str) -> None:
    template = {"Resources": {"Odd": {"Type": "AWS::Example::Thing", "Properties": {}}}}
    cdk_out = _assembly(tmp_path, {"odd": ("us-east-1", template, [])})
    with pytest.raises(DeployError, match=r"odd/Odd: no handler for AWS::Example::Thing"):
        deploy_assembly(cdk_out, emulator)


def test_capabilities_document_lists_the_declared_gaps(emulator: str) -> None:
    import urllib.request

    from archkit.emulate.capabilities import GAPS

    with urllib.request.urlopen(f"{emulator}/_archkit/capabilities", timeout=5) as resp:
        doc = json.loads(resp.read())
    assert doc["emulator"].startswith("moto 5.")
    gaps = {(g["resource_type"], g["attribute"]) for g in doc["gaps"]}
    assert ("AWS::S3::Bucket", "intelligent_tiering") in gaps
    assert ("AWS::CE::AnomalyMonitor", "*") in gaps
    assert ("AWS::EC2::SecurityGroup", "egress[*prefix_list*]") in gaps
    assert ("AWS::ApiGateway::RestApi", "methods[*].integration_target") in gaps
    assert len(doc["gaps"]) == len(GAPS)
    assert all(g["reason"].startswith("moto") for g in doc["gaps"])
