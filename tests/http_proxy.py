"""A small forwarding HTTP proxy on 127.0.0.1, in front of a moto server.

Two uses: `--latency` adds a fixed delay to every request (real AWS answers in tens of milliseconds, moto in
one), and ``documents`` answers extra paths itself — such as the `/_archkit/capabilities` document an
emulator publishes — while everything else goes to the upstream server unchanged (method, path, headers,
body), so boto3 runs its whole stack against it.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

MOTO_GAPS = [
    {
        "resource_type": "AWS::S3::Bucket",
        "attribute": "intelligent_tiering",
        "reason": "moto does not implement S3 Intelligent-Tiering configurations",
    },
    *(
        {
            "resource_type": "AWS::EC2::SecurityGroup",
            "attribute": f"{direction}[*prefix_list*]",
            "reason": "moto drops the descriptions of prefix-list rules",
        }
        for direction in ("ingress", "egress")
    ),
    *(
        {
            "resource_type": "AWS::ApiGateway::RestApi",
            "attribute": f"methods[*].{attribute}",
            "reason": "moto drops an integration's connectionId and integrationTarget",
        }
        for attribute in ("vpc_link", "integration_target")
    ),
    {
        "resource_type": "AWS::CE::AnomalyMonitor",
        "attribute": "*",
        "reason": "moto does not implement Cost Explorer anomaly monitors",
    },
]
"""What moto 5.2 cannot hold, as an emulator's capabilities document declares it (docs/design.md).
Published by the proxy in front of the tests' moto servers until `archkit.emulate` serves its own."""


def capabilities_document() -> dict[str, Any]:
    """The proxy's extra documents: moto's gaps at the capabilities path verify reads."""
    from archkit.verify.capabilities import CAPABILITIES_PATH

    return {CAPABILITIES_PATH: {"emulator": "moto", "gaps": MOTO_GAPS}}


_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        document = self.server.documents.get(urlsplit(self.path).path)
        if document is not None and self.command == "GET":
            self._reply(200, {"Content-Type": "application/json"}, json.dumps(document).encode())
            return
        if self.server.latency:
            time.sleep(self.server.latency)
        self.server.count()
        conn = self.server.upstream_connection()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.server.drop_connection()
            self._reply(502, {}, b"upstream unreachable")
            return
        out = {k: v for k, v in resp.getheaders() if k.lower() not in _HOP_BY_HOP | {"content-length"}}
        self._reply(resp.status, out, data)

    def _reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _forward


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, latency: float, documents: dict[str, Any]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.latency = latency
        self.documents = documents
        self.requests = 0
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self._local = threading.local()
        self._lock = threading.Lock()

    def count(self) -> None:
        with self._lock:
            self.requests += 1

    def upstream_connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=60)
            self._local.conn = conn
        return conn

    def drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


@contextmanager
def proxy(
    upstream: str, latency: float = 0.0, documents: dict[str, Any] | None = None
) -> Iterator[_ProxyServer]:
    """A running proxy (``.url`` is its endpoint) to ``upstream``, ``latency`` seconds before each forward."""
    server = _ProxyServer(upstream, latency, documents or {})
    thread = threading.Thread(target=server.serve_forever, name="http-proxy", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


_SESSION_PROXIES: dict[str, _ProxyServer] = {}
_SESSION_LOCK = threading.Lock()


def with_capabilities(endpoint: str) -> str:
    """The endpoint as verify sees an emulator: a proxy (one per endpoint, for the whole test session) that
    publishes moto's capabilities document and forwards everything else."""
    with _SESSION_LOCK:
        server = _SESSION_PROXIES.get(endpoint)
        if server is None:
            server = _ProxyServer(endpoint, 0.0, capabilities_document())
            threading.Thread(target=server.serve_forever, name="capabilities-proxy", daemon=True).start()
            _SESSION_PROXIES[endpoint] = server
        return server.url
