"""Content hash of everything a synthesis depends on, so an unchanged spec skips synthesis.

The hash covers the spec file, the selected environment, every code directory the spec names,
archkit's own CDK code and the versions of the CDK libraries. Pure Python (no CDK import), so the
up-to-date check of `archkit generate` takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from archkit.io import write_text_atomic

if TYPE_CHECKING:
    from archkit.spec import ArchSpec

STAMP_NAME = ".archkit-stamp.json"
"""Written inside the cloud assembly directory; excluded from the output digest."""

_SKIP_DIRS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache"})
_SKIP_SUFFIXES = (".pyc", ".pyo")
_LIBRARIES = ("aws-cdk-lib", "constructs", "cdk-nag", "jsii")


def _files(root: Path) -> list[Path]:
    """Regular files under ``root`` that reach the synthesized output, in a stable order."""
    out = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part in _SKIP_DIRS for part in rel.parts) or path.name.endswith(_SKIP_SUFFIXES):
            continue
        if path.is_file():
            out.append(path)
    return sorted(out, key=lambda p: p.relative_to(root).as_posix())


def tree_digest(root: Path, exclude: frozenset[str] = frozenset()) -> str:
    """SHA-256 over relative paths and contents of the files under ``root``."""
    digest = hashlib.sha256()
    if not root.is_dir():
        return "missing"
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        if rel in exclude:
            continue
        digest.update(rel.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def input_digest(spec: ArchSpec, spec_path: Path) -> str:
    """Hash of the spec file, environment, code directories, archkit's CDK and spec code, library versions."""
    from archkit import __version__

    digest = hashlib.sha256()
    digest.update(f"archkit {__version__}\0env {spec.environment}\0".encode())
    digest.update(json.dumps(_library_versions(), sort_keys=True).encode())
    digest.update(spec_path.read_bytes())
    spec_dir = spec_path.resolve().parent
    code_dirs = sorted(
        {*(f.code for f in spec.functions.values()), *(layer.code for layer in spec.layers.values())}
    )
    for code in code_dirs:
        digest.update(f"\0code {code}\0{tree_digest(spec_dir / code)}".encode())
    # archkit's own code that shapes the templates: the CDK layer and the spec package (names, tags).
    package = Path(__file__).parent.parent
    digest.update(f"\0cdk {tree_digest(package / 'cdk')}\0spec {tree_digest(package / 'spec')}".encode())
    return digest.hexdigest()


def read_stamp(cdk_out: Path) -> dict[str, str]:
    try:
        data = json.loads((cdk_out / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def output_digest(cdk_out: Path, cdk_json: Path) -> str:
    digest = hashlib.sha256(tree_digest(cdk_out, exclude=frozenset({STAMP_NAME})).encode())
    digest.update(cdk_json.read_bytes() if cdk_json.is_file() else b"missing")
    return digest.hexdigest()


def is_current(cdk_out: Path, cdk_json: Path, inputs: str) -> bool:
    """True when the output was produced from these inputs and nobody changed it since."""
    stamp = read_stamp(cdk_out)
    return stamp.get("inputs") == inputs and stamp.get("output") == output_digest(cdk_out, cdk_json)


def write_stamp(cdk_out: Path, cdk_json: Path, inputs: str) -> None:
    stamp = {"inputs": inputs, "output": output_digest(cdk_out, cdk_json)}
    write_text_atomic(cdk_out / STAMP_NAME, json.dumps(stamp, indent=2, sort_keys=True) + "\n")
