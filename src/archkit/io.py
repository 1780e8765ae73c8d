"""Atomic file output: write a temporary sibling, then rename, so no run leaves half a file behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp creates 0600; give the file the mode an ordinary write would (0666 minus umask).
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def replace_dir_atomic(staging: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Swap a fully written staging directory into place (old content is removed only after)."""
    staging_path, target_path = Path(staging), Path(target)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    backup = target_path.with_name(f".{target_path.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target_path.exists():
        os.replace(target_path, backup)
    os.replace(staging_path, target_path)
    if backup.exists():
        shutil.rmtree(backup)
