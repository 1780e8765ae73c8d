"""The emulator server: moto's HTTP server on 127.0.0.1, with the capabilities document beside it.

Two ways to run it: in a thread of this process (``start_server``; `archkit emulate` does this, so stopping
the command stops everything), or as a child process of its own (``spawn_server``; moto keeps one state per
process, so each child is an account of its own: tests use this to hold several accounts at once).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from archkit.emulate.capabilities import CAPABILITIES_PATH, document

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
"""Credentials every client of the emulator uses (moto accepts any)."""

SERVER_ENVIRONMENT = {"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
"""AWS managed IAM policies exist in the emulated account, as in a real one (templates attach them)."""

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_capabilities(app: WSGIApp) -> WSGIApp:
    """moto's WSGI app, answering ``GET /_archkit/capabilities`` itself."""
    body = json.dumps(document(), indent=2).encode()

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == CAPABILITIES_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        return app(environ, start_response)

    return wrapped


def _quiet_moto() -> None:
    from moto import settings

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # Without a Docker engine moto warns on every Lambda operation (and logs an error when rotation "tests"
    # its function); the emulator never runs function code.
    logging.getLogger("moto").setLevel(logging.CRITICAL)
    # Inside a container moto looks for its Docker host before invoking a function and prints to stdout
    # when there is none; nothing here runs function code, so there is no host to find.
    settings.is_docker = lambda: False


def _make_server(port: int) -> Any:
    for key, value in SERVER_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    _quiet_moto()
    # werkzeug prints its own message and exits when it cannot bind: try the port first.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    app = with_capabilities(DomainDispatcherApplication(create_backend_app))
    return make_server("127.0.0.1", port, app, threaded=True)


@dataclass
class ThreadServer:
    """The emulator in a thread of this process."""

    endpoint: str
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


def start_server(port: int | None = None) -> tuple[ThreadServer, str]:
    """Start the emulator in a thread on 127.0.0.1: (server, endpoint URL). Stop it with ``server.stop()``."""
    port = port or free_port()
    server = _make_server(port)
    thread = threading.Thread(target=server.serve_forever, name="archkit-emulator", daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{port}"
    return ThreadServer(endpoint, server, thread), endpoint


@dataclass
class ProcessServer:
    """The emulator in a child process (an account of its own)."""

    endpoint: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def spawn_server(port: int | None = None, timeout: float = 60.0) -> ProcessServer:
    """Start the emulator as a child process on 127.0.0.1 and wait until it answers."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "archkit.emulate.server", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SERVER_ENVIRONMENT},
    )
    server = ProcessServer(f"http://127.0.0.1:{port}", process)
    try:
        wait_ready(server.endpoint, timeout, alive=lambda: process.poll() is None)
    except BaseException:
        server.stop()
        raise
    return server


def wait_ready(endpoint: str, timeout: float = 60.0, alive: Callable[[], bool] = lambda: True) -> None:
    """Wait until the emulator at ``endpoint`` serves its capabilities document."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"the emulator for {endpoint} exited before it was ready")
        try:
            with urllib.request.urlopen(f"{endpoint}{CAPABILITIES_PATH}", timeout=2) as resp:
                json.loads(resp.read())
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the emulator at {endpoint} did not answer within {timeout:.0f}s")


def reset_server(endpoint: str) -> None:
    """Empty the emulator (moto's reset API): every account and region."""
    req = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=30).read()


def main(argv: list[str] | None = None) -> None:
    """``python -m archkit.emulate.server --port N``: serve in the foreground until terminated."""
    import argparse
    import signal

    parser = argparse.ArgumentParser(prog="python -m archkit.emulate.server")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    server = _make_server(args.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    os._exit(0)  # the account lives in memory only: nothing to flush, no need to tear its objects down


if __name__ == "__main__":
    main()
