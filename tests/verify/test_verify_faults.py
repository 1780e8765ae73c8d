"""Faults: throttled calls are retried (result unchanged), AccessDenied on one service leaves that part
not_checked and the rest verified (exit 3, report written), and no credentials / a dead endpoint end in
one clear line with exit 3."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from typer.testing import CliRunner

from archkit.cli import app
from archkit.emulate.server import free_port
from archkit.verify.collect.aws import Aws

from .conftest import REFERENCE, run_verify


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def test_throttled_calls_are_retried_and_the_result_is_unchanged(reference, clean_run, endpoint):
    spec = reference.spec
    throttled: list[str] = []

    def throttle(request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        if operation not in throttled:  # the first request of each DynamoDB operation is throttled once
            throttled.append(operation)
            body = (
                b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}'
            )
            return AWSResponse(request.url, 400, {"x-amzn-RequestId": "throttled"}, _Raw(body))
        return None

    run = run_verify(spec, endpoint, regions=("us-west-2",), hooks=[("before-send.dynamodb", throttle)])
    assert sorted(throttled) == [
        "DescribeContinuousBackups",
        "DescribeTable",
        "DescribeTimeToLive",
        "ListTagsOfResource",
    ]
    assert [f for f in run.report.findings if f.kind == "drift"] == []
    assert run.report.findings == clean_run.report.findings
    assert {s.path for s in run.observed} == {s.path for s in clean_run.observed}


def access_denied(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
    """A before-call hook: every S3 call is denied."""
    if model.service_model.service_name != "s3":
        return None
    response = AWSResponse("https://s3.amazonaws.com", 403, {}, _Raw(b""))
    error = {
        "Error": {"Code": "AccessDenied", "Message": "Access Denied"},
        "ResponseMetadata": {"HTTPStatusCode": 403},
    }
    return response, error


def test_access_denied_on_one_service_is_not_checked_and_the_rest_is_verified(reference, endpoint):
    spec = reference.spec
    run = run_verify(spec, endpoint, regions=("us-west-2",), hooks=[("before-call", access_denied)])
    denied = {f.resource: f for f in run.report.findings if f.reason == "AccessDenied"}
    assert set(denied) == {"buckets.assets", "buckets.logs"}
    assert all(f.kind == "not_checked" and f.resource_type == "AWS::S3::Bucket" for f in denied.values())
    assert "access denied" in denied["buckets.assets"].message
    assert [f for f in run.report.findings if f.kind == "drift"] == []
    assert "tables.main" in {s.path for s in run.observed}
    assert run.report.account_unreadable()
    # every desired state (with the two WAF log keys and the stream-failure queue) but the anomaly monitor
    # moto cannot hold and the two unreadable buckets
    assert run.report.summary.resources_checked == 64


def test_cli_exit_3_with_partial_report_written(reference, endpoint, tmp_path, monkeypatch):
    original = Aws.__post_init__

    def with_denial(self: Aws) -> None:
        original(self)
        self.hooks.append(("before-call", access_denied))

    monkeypatch.setattr(Aws, "__post_init__", with_denial)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "verify",
            "--spec",
            str(REFERENCE),
            "--endpoint-url",
            endpoint,
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 3, result.output
    doc = json.loads(out.read_text())
    assert doc["summary"]["not_checked"] >= 2
    assert {f["resource"] for f in doc["findings"] if f.get("reason") == "AccessDenied"} == {
        "buckets.assets",
        "buckets.logs",
    }


def test_unreachable_endpoint_is_one_clear_line(endpoint):
    dead = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(app, ["verify", "--spec", str(REFERENCE), "--endpoint-url", dead])
    assert result.exit_code == 3
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot reach the AWS endpoint" in lines[0], result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "table"])
def test_the_report_is_written_when_nothing_can_be_read(fmt, tmp_path):
    """The contract: exit 3, and the report still written, every resource not_checked with the reason."""
    from shared import emulator_credentials

    out = tmp_path / f"report.{fmt}"
    dead = f"http://127.0.0.1:{free_port()}"
    args = ["verify", "--spec", str(REFERENCE), "--endpoint-url", dead, "--format", fmt, "--output", str(out)]
    with emulator_credentials():  # credentials present: the endpoint is what cannot be reached
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 3, result.output
    text = out.read_text()
    assert "tables.main" in text
    assert ("not checked" if fmt == "table" else "the account could not be read") in text
    if fmt == "json":
        doc = json.loads(text)
        assert doc["summary"]["not_checked"] == len(doc["findings"])
        assert {f["kind"] for f in doc["findings"]} == {"not_checked"}
        assert {f["resource"] for f in doc["findings"]} >= {
            "tables.main",
            "buckets.assets",
            "functions.get_user",
        }
        assert doc["summary"]["resources_checked"] == 0


def test_no_credentials_is_one_clear_line(monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = CliRunner().invoke(app, ["verify", "--spec", str(REFERENCE), "--region", "us-east-1"])
    assert result.exit_code == 3
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no AWS credentials found" in lines[0], result.output


@pytest.mark.parametrize("service", ["dynamodb"])
def test_calls_per_second_cap_is_respected(reference, endpoint, service):
    import time

    spec = reference.spec
    stamps: list[float] = []

    def stamp(model: Any, **_: Any) -> None:
        if model.service_model.service_name == service:
            stamps.append(time.monotonic())

    rate = 2
    run_verify(
        spec,
        endpoint,
        regions=("us-west-2",),
        service_rates={service: rate},
        hooks=[("before-call", stamp)],
    )
    assert len(stamps) >= 5
    # a full token bucket of `rate` calls/s: call n (from 0) comes no sooner than (n + 1 - rate) / rate s
    first = stamps[0]
    for n, t in enumerate(stamps):
        assert t - first >= (n + 1 - rate) / rate - 0.05
    assert stamps[-1] - first >= 1.0
