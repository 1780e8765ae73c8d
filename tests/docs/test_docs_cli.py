"""`archkit docs` end to end: writes atomically, checks, refuses to clobber, reports bad input in one line."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys

import pytest
from docs_helpers import ROOT
from typer.testing import CliRunner

from archkit.cli import app
from archkit.docs.markdown import GENERATED_MARKER
from archkit.docs.writer import NotGeneratedError, write_generated_dir

runner = CliRunner()


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """A project directory holding a copy of the reference spec; the CLI runs inside it."""
    (tmp_path / "specs").mkdir()
    shutil.copy2(ROOT / "specs" / "reference.yaml", tmp_path / "specs" / "reference.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARCHKIT_SPEC", raising=False)
    return tmp_path


def docs(*args: str):
    return runner.invoke(app, ["docs", "--no-diagrams", *args])


def test_writes_pages_then_check_passes_then_detects_a_spec_change(workdir):
    result = docs()
    assert result.exit_code == 0, result.output
    assert "wrote 8 pages" in result.output
    index = (workdir / "docs" / "architecture" / "index.md").read_text()
    assert index.startswith(f"{GENERATED_MARKER} from specs/reference.yaml (environment prod)")
    assert {p.name for p in (workdir / "docs" / "reference").iterdir()} == {"cli.md", "spec.md", "rules.md"}

    assert docs("--check").exit_code == 0

    spec = workdir / "specs" / "reference.yaml"
    spec.write_text(spec.read_text().replace("      DELETE: get_user_id\n", ""))
    check = docs("--check")
    assert check.exit_code == 1
    assert "docs/architecture/api.md (changed)" in check.output
    assert docs().exit_code == 0
    assert (
        "| `/api/users/{id}` | `DELETE` |" not in (workdir / "docs" / "architecture" / "api.md").read_text()
    )
    assert docs("--check").exit_code == 0


def test_regeneration_is_byte_identical_and_removes_stale_files(workdir):
    assert docs().exit_code == 0
    arch = workdir / "docs" / "architecture"
    before = {p.relative_to(arch): p.read_bytes() for p in arch.rglob("*") if p.is_file()}
    (arch / "stale.md").write_text("left over from an older spec\n")
    assert docs().exit_code == 0
    after = {p.relative_to(arch): p.read_bytes() for p in arch.rglob("*") if p.is_file()}
    assert after == before
    assert stat.S_IMODE(arch.stat().st_mode) & 0o005 == 0o005, (
        "the swapped-in directory must stay world-readable"
    )
    assert not [p for p in workdir.joinpath("docs").iterdir() if p.name.startswith(".")], (
        "staging left behind"
    )


def test_check_reports_missing_and_extra_files(workdir):
    assert docs().exit_code == 0
    arch = workdir / "docs" / "architecture"
    (arch / "cost.md").unlink()
    (arch / "notes.md").write_text("hand-written\n")
    check = docs("--check")
    assert check.exit_code == 1
    assert "docs/architecture/cost.md (missing)" in check.output
    assert "docs/architecture/notes.md (extra)" in check.output


def test_refuses_to_replace_a_hand_written_directory(workdir):
    mine = workdir / "docs" / "guides"
    mine.mkdir(parents=True)
    (mine / "index.md").write_text("# My guide\n")
    result = docs("--out", "docs/guides")
    assert result.exit_code == 2
    assert "refusing to replace docs/guides" in result.output
    assert (mine / "index.md").read_text() == "# My guide\n"


def test_custom_out_links_the_rule_catalogue_relatively(workdir):
    result = docs("--out", "site-src/arch", "--reference-out", "site-src/ref")
    assert result.exit_code == 0, result.output
    security = (workdir / "site-src" / "arch" / "security.md").read_text()
    assert "](../ref/rules.md#arch-" in security


def test_a_bad_spec_is_one_clear_error_and_writes_nothing(workdir):
    bad = workdir / "bad.yaml"
    bad.write_text("project: shop\nowner: team\ntables:\n  main: {partiton_key: id}\n")
    result = docs("--spec", str(bad))
    assert result.exit_code == 2
    assert "partiton_key" in result.output
    assert "Traceback" not in result.output
    assert not (workdir / "docs").exists()


def test_an_interrupted_write_keeps_the_previous_pages(tmp_path):
    target = tmp_path / "architecture"
    write_generated_dir(target, {"index.md": f"{GENERATED_MARKER} v1 -->\n".encode()})

    # index.md is staged first; the NUL in the second name makes the write fail half-way through the set.
    files = {"index.md": f"{GENERATED_MARKER} v2 -->\n".encode(), "sub\0dir/x.md": b"x"}
    with pytest.raises(ValueError):
        write_generated_dir(target, files)
    assert (target / "index.md").read_text() == f"{GENERATED_MARKER} v1 -->\n"
    assert [p.name for p in tmp_path.iterdir()] == ["architecture"]


def test_writer_refuses_directories_it_did_not_write(tmp_path):
    (tmp_path / "index.md").write_text("# Hand-written\n")
    with pytest.raises(NotGeneratedError):
        write_generated_dir(tmp_path, {"index.md": b"x"})


def test_docs_command_and_package_import_no_heavy_libraries():
    code = (
        "import sys, archkit.docs, archkit.docs.site, archkit.cli.docs\n"
        "heavy = ('boto3', 'aws_cdk', 'diagrams', 'jsii')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""
