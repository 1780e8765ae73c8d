"""The two sides of a diff: a spec file, or a spec at a git revision (``main``, ``origin/main:specs/x.yaml``).

A side loads with the ordinary loader, so its problems carry file:line:col (``main:specs/reference.yaml:12:3``
for a revision). Synthesis needs the spec's code directories as files; a revision's are checked out
(``git archive``) into a temporary directory only when asked for.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archkit.spec import ArchSpec, SpecError, SpecIssue, parse_spec_text

GIT_TIMEOUT_S = 60


class SideError(Exception):
    """A side cannot be read or loaded; ``role`` is BASE or HEAD."""

    def __init__(
        self, role: str, label: str, issues: list[SpecIssue] | None = None, message: str = ""
    ) -> None:
        self.role, self.label, self.issues = role, label, issues or []
        self.message = message or f"{role} ({label}) does not load"
        super().__init__(self.message)


@dataclass
class Side:
    role: str
    label: str
    """How the side is named in reports: a file path, or ``rev:path``."""
    text: str
    spec: ArchSpec
    file: Path | None = None
    """The spec file on disk (a working file); None for a revision until :meth:`materialize`."""
    revision: str | None = None
    repo_path: str | None = None
    """The spec's path inside the repository (revisions only)."""
    repo_root: Path | None = None
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def materialize(self) -> Path:
        """A spec file on disk whose code directories sit beside it as on this side."""
        if self.file is not None:
            return self.file
        assert self.revision is not None and self.repo_path is not None and self.repo_root is not None
        self._tmp = tempfile.TemporaryDirectory(prefix="archkit-diff-")
        root = Path(self._tmp.name)
        spec_dir = PurePosixPath(self.repo_path).parent
        wanted = {self.repo_path}
        for code in {
            *(f.code for f in self.spec.functions.values()),
            *(x.code for x in self.spec.layers.values()),
        }:
            wanted.add(os.path.normpath(str(spec_dir / code)).replace(os.sep, "/"))
        data = _git(self.repo_root, ["archive", "--format=tar", self.revision, "--", *sorted(wanted)], self)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(root, filter="data")
        self.file = root / self.repo_path
        return self.file

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _git(cwd: Path, args: list[str], side: Side | tuple[str, str]) -> bytes:
    role, label = (side.role, side.label) if isinstance(side, Side) else side
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT_S, check=False
        )
    except FileNotFoundError:
        raise SideError(role, label, message=f"{role} ({label}): git is not installed") from None
    except subprocess.TimeoutExpired:
        raise SideError(role, label, message=f"{role} ({label}): git {args[0]} timed out") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SideError(role, label, message=f"{role} ({label}): {why[-1] if why else 'git failed'}")
    return done.stdout


def _load(role: str, label: str, text: str, env: str | None) -> ArchSpec:
    try:
        return parse_spec_text(text, label, env)
    except SpecError as exc:
        raise SideError(role, label, exc.issues) from None


def load_file(role: str, path: Path, env: str | None) -> Side:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SideError(role, str(path), message=f"{role} ({path}): cannot read the spec: {exc}") from None
    return Side(role, str(path), text, _load(role, str(path), text, env), file=path)


def load_revision(role: str, revision: str, spec_path: Path, env: str | None) -> Side:
    """The spec at ``revision``: ``rev`` (at ``spec_path``) or ``rev:path`` (from the repo root)."""
    rev, sep, in_repo = revision.partition(":")
    start = spec_path.resolve().parent if spec_path.resolve().parent.is_dir() else Path.cwd()
    top = _git(start, ["rev-parse", "--show-toplevel"], (role, revision)).decode().strip()
    root = Path(top)
    if not sep:
        try:
            in_repo = spec_path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise SideError(
                role,
                revision,
                message=f"{role} ({revision}): {spec_path} is not inside the git repository {root}",
            ) from None
    label = f"{rev}:{in_repo}"
    blob = _git(root, ["show", label], (role, label))
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        raise SideError(role, label, message=f"{role} ({label}): the spec is not UTF-8 text") from None
    return Side(
        role, label, text, _load(role, label, text, env), revision=rev, repo_path=in_repo, repo_root=root
    )


def load_side(role: str, arg: str, spec_path: Path, env: str | None) -> Side:
    """A side given on the command line: an existing file, else a git revision (of ``spec_path``)."""
    path = Path(arg)
    if path.is_file():
        return load_file(role, path, env)
    if path.suffix in (".yaml", ".yml", ".json") and ":" not in arg:
        raise SideError(role, arg, message=f"{role} ({arg}): spec file not found")
    return load_revision(role, arg, spec_path, env)
