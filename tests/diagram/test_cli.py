"""`archkit diagram` end to end through the Typer app."""

from __future__ import annotations

import pytest
from diagram_helpers import FIXTURES, REFERENCE_SPEC
from typer.testing import CliRunner

from archkit.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["diagram", "--spec", str(REFERENCE_SPEC), *args])


def test_writes_the_requested_views_and_formats(tmp_path):
    result = _run("--view", "api,s3", "--format", "txt,mmd,dot", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    # The api view is split: the route tree and the features, each a diagram of its own.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "api-features.dot",
        "api-features.mmd",
        "api-features.txt",
        "api.dot",
        "api.mmd",
        "api.txt",
        "s3.dot",
        "s3.mmd",
        "s3.txt",
    ]
    assert "✓ api" in result.output and "wrote 9 files" in result.output
    assert (tmp_path / "api.txt").read_text(encoding="utf-8").startswith("┌")


def test_all_views_png_and_svg(tmp_path):
    from diagram_helpers import DIAGRAMS

    result = _run("--view", "all", "--format", "png,svg", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{v}.{f}" for v in DIAGRAMS for f in ("png", "svg"))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "network"], "unknown view 'network'"),
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--overlay", "/nonexistent/verify.json"], "cannot read overlay"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    result = _run(*args, "--out", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_spec_error_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: shop\nowner: team\nfunctions: {f: {handler: 3, vpc: maybe}}\n", encoding="utf-8")
    result = runner.invoke(app, ["diagram", "--spec", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.yaml:3" in result.output
    assert not (tmp_path / "out").exists()


def test_missing_dot_exits_2_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _run("--format", "svg,txt", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "graphviz 'dot' was not found" in result.output
    assert "apt-get install graphviz" in result.output and "brew install graphviz" in result.output
    assert not (tmp_path / "out").exists()
    # Text-only output does not need graphviz.
    ok = _run("--view", "cost", "--format", "txt", "--out", str(tmp_path / "txt"))
    assert ok.exit_code == 0, ok.output


def test_overlay_writes_coloured_views(tmp_path):
    result = _run(
        "--view",
        "overview",
        "--format",
        "txt,dot",
        "--overlay",
        str(FIXTURES / "verify.json"),
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "1 finding matches no drawn resource: queues.orders" in result.output
    assert "S3 bucket logs [✖ missing]" in (tmp_path / "overview.txt").read_text(encoding="utf-8")
    assert "<B>Findings</B>" in (tmp_path / "overview.dot").read_text(encoding="utf-8")
