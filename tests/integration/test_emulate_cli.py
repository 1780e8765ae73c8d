"""`archkit emulate` usage: the missing extra, the change catalogue, and user mistakes as one line, exit 2."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from typer.testing import CliRunner

from archkit.cli import app
from archkit.emulate.changes import CHANGES
from shared import REFERENCE


def _invoke(*args: str):
    return CliRunner().invoke(app, ["emulate", "--spec", str(REFERENCE), *args])


def test_without_moto_one_line_names_the_extra(monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "moto" else real(name, *a)
    )
    result = _invoke("--change", "list")
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == 'error: `archkit emulate` needs the emulate extra: pip install "archkit[emulate]"'
    )


def test_change_list_names_and_describes_every_change() -> None:
    result = _invoke("--change", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == list(CHANGES)
    assert "pitr-off               point-in-time recovery of the first table turned off" in lines


def test_unknown_change_and_missing_endpoint_are_usage_errors() -> None:
    unknown = _invoke("--change", "nope", "--endpoint-url", "http://127.0.0.1:9")
    assert unknown.exit_code == 2
    assert "error: unknown change 'nope'" in unknown.output
    assert "pitr-off" in unknown.output
    missing = _invoke("--change", "pitr-off")
    assert missing.exit_code == 2
    assert "error: --change needs --endpoint-url of the running emulator" in missing.output


def test_cdk_out_without_manifest_is_a_usage_error(tmp_path: Path) -> None:
    result = _invoke("--cdk-out", str(tmp_path))
    assert result.exit_code == 2
    assert f"error: {tmp_path} is not a cloud assembly (no manifest.json)" in result.output


def test_port_in_use_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {}}))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _invoke("--cdk-out", str(tmp_path), "--port", str(port))
    assert result.exit_code == 2
    assert f"error: cannot start the emulator on 127.0.0.1:{port}:" in result.output
    assert "Traceback" not in result.output
