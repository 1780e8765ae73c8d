"""The capabilities document an emulator publishes, read over real HTTP, and what verify makes of it."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from archkit.spec import load_spec
from archkit.verify import capabilities
from archkit.verify.capabilities import CAPABILITIES_PATH, Gap
from archkit.verify.desired import desired_by_path
from archkit.verify.drift import compare

REFERENCE = Path(__file__).resolve().parents[2] / "specs" / "reference.yaml"

DOCUMENT = {
    "emulator": "moto 5.2.1",
    "gaps": [
        {
            "resource_type": "AWS::S3::Bucket",
            "attribute": "intelligent_tiering",
            "reason": "moto does not implement S3 Intelligent-Tiering configurations",
        },
        {
            "resource_type": "AWS::EC2::SecurityGroup",
            "attribute": "egress[*prefix_list*]",
            "reason": "prefix-list rule descriptions are dropped",
        },
        {"resource_type": "AWS::CE::AnomalyMonitor", "attribute": "*", "reason": "no Cost Explorer"},
        {"resource_type": "AWS::S3::Bucket", "attribute": 7, "reason": "malformed: skipped"},
    ],
}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server answering the capabilities path with ``DOCUMENT`` and 404 elsewhere."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path == CAPABILITIES_PATH:
                body, status = json.dumps(DOCUMENT).encode(), 200
            elif self.path == "/broken" + CAPABILITIES_PATH:
                body, status = b"{not json", 200
            else:
                body, status = b"not found", 404
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_document_is_read_over_http(server: tuple[str, list[str]]) -> None:
    url, seen = server
    gaps = capabilities.fetch(url + "/")
    assert seen[-1] == CAPABILITIES_PATH
    assert gaps == [
        Gap(
            "AWS::S3::Bucket",
            "intelligent_tiering",
            "moto does not implement S3 Intelligent-Tiering configurations",
        ),
        Gap("AWS::EC2::SecurityGroup", "egress[*prefix_list*]", "prefix-list rule descriptions are dropped"),
        Gap("AWS::CE::AnomalyMonitor", "*", "no Cost Explorer"),
    ]


def test_no_document_means_no_gaps(server: tuple[str, list[str]]) -> None:
    url, _ = server
    assert capabilities.fetch(url + "/elsewhere") == []  # 404
    assert capabilities.fetch(url + "/broken") == []  # not JSON
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    assert capabilities.fetch(closed, timeout=0.5) == []


def test_patterns_take_brackets_literally() -> None:
    gap = Gap("AWS::EC2::SecurityGroup", "egress[*prefix_list*]", "r")
    assert gap.matches("egress[tcp 443 prefix_list s3]")
    assert not gap.matches("egress[tcp 443 cidr 0.0.0.0/0]")
    assert not gap.matches("ingress[tcp 443 prefix_list s3]")
    assert Gap("AWS::ApiGateway::RestApi", "methods[*].vpc_link", "r").matches(
        "methods[GET /api/items].vpc_link"
    )


def test_a_gap_turns_drift_into_not_checked_with_its_reason() -> None:
    desired = desired_by_path(load_spec(REFERENCE))
    want = desired["network.security_groups.lambda"]
    prefix_rules = sorted(k for k in want.egress if " prefix_list " in k)  # type: ignore[attr-defined]
    assert prefix_rules == ["tcp 443 prefix_list dynamodb", "tcp 443 prefix_list s3"]
    # What the emulator holds: the rules without their descriptions, and one real change elsewhere.
    egress = {**want.egress, **{k: "" for k in prefix_rules}}  # type: ignore[attr-defined]
    egress["tcp 22 cidr 0.0.0.0/0"] = "opened by hand"
    have = want.model_copy(update={"egress": egress})
    reason = "prefix-list rule descriptions are dropped"
    gaps = [Gap("AWS::EC2::SecurityGroup", "egress[*prefix_list*]", reason)]

    (marked,) = capabilities.apply([have], desired, gaps)
    findings = {(f.kind, f.attribute, f.reason) for f in compare(want, marked)}
    assert findings == {
        ("not_checked", "egress[tcp 443 prefix_list dynamodb]", "unsupported"),
        ("not_checked", "egress[tcp 443 prefix_list s3]", "unsupported"),
        ("drift", "egress[tcp 22 cidr 0.0.0.0/0]", None),
    }
    messages = {f.message for f in compare(want, marked) if f.kind == "not_checked"}
    assert len(messages) == 2 and all(reason in m for m in messages)


def test_a_whole_resource_gap_makes_the_resource_not_checked() -> None:
    desired = list(desired_by_path(load_spec(REFERENCE)).values())
    monitor = next(s for s in desired if s.resource_type == "AWS::CE::AnomalyMonitor")
    table = next(s for s in desired if s.path == "tables.main")
    gaps = [Gap("AWS::CE::AnomalyMonitor", "*", "no Cost Explorer")]
    kept, unheld = capabilities.honour(gaps, desired, [monitor, table])
    assert kept == [table]
    assert unheld == {monitor.path: "not held by the endpoint: no Cost Explorer"}


def test_an_attribute_nobody_sets_is_not_reported() -> None:
    """`methods[*].vpc_link` covers the one VPC-link method, not every method whose link is None."""
    desired = desired_by_path(load_spec(REFERENCE))
    api = desired["api"]
    gaps = [Gap("AWS::ApiGateway::RestApi", "methods[*].vpc_link", "dropped")]
    (marked,) = capabilities.apply([api], desired, gaps)
    linked = sorted(k for k, m in api.methods.items() if m.vpc_link)  # type: ignore[attr-defined]
    assert linked and sorted(marked.unreadable) == [f"methods[{k}].vpc_link" for k in linked]
