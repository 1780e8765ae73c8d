"""A small forwarding HTTP proxy on 127.0.0.1 that holds every request ``latency`` seconds before passing it
on unchanged (method, path, headers, body): real AWS answers in tens of milliseconds, moto in one, so
`bench_verify.py --latency-ms 50` measures how well verify overlaps its calls."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
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

    def __init__(self, upstream: str, latency: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.latency = latency
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
def proxy(upstream: str, latency: float = 0.0) -> Iterator[_ProxyServer]:
    """A running proxy (``.url`` is its endpoint) to ``upstream``, ``latency`` seconds before each forward."""
    server = _ProxyServer(upstream, latency)
    thread = threading.Thread(target=server.serve_forever, name="http-proxy", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
