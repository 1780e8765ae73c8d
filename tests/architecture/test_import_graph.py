"""The import graph of `archkit` is a tree from the CLI down to the spec: no package imports one above it.

Read from the source (every `import`, including the lazy ones inside functions), so a back-edge fails here
even when it is only taken at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "archkit"

BASE = frozenset({"io", "wording"})
"""Leaves every package may use: atomic writes, counts in printed text."""

MAY_IMPORT: dict[str, frozenset[str]] = {
    "io": frozenset(),
    "wording": frozenset(),
    "spec": BASE,
    "verify": BASE | {"spec"},
    "cdk": BASE | {"spec"},
    "diagram": BASE | {"spec"},
    "emulate": BASE | {"spec"},
    "peers": BASE | {"spec"},
    "init": BASE | {"spec", "cdk"},
    "docs": BASE | {"spec", "diagram", "verify", "peers"},
    "diff": BASE | {"spec", "cdk", "diagram", "verify"},
    "verifier": BASE | {"spec", "verify", "cdk"},
    "cli": BASE | {"spec", "diagram", "docs", "verify", "cdk", "emulate", "init", "diff", "verifier"},
}
"""archkit sub-package -> the archkit sub-packages it may import (besides itself)."""


def _package(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0].removesuffix(".py") if len(parts) > 1 or parts[0] != "__init__.py" else "(root)"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported archkit sub-package) of every absolute import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [(node.lineno, n.split(".")[1]) for n in names if n.startswith("archkit.")]
    return found


def back_edges(package: str) -> list[str]:
    allowed = MAY_IMPORT[package] | {package}
    return [
        f"{path.relative_to(SRC.parent)}:{line} imports archkit.{target}"
        for path in sorted((SRC / package).rglob("*.py"))
        for line, target in imports_of(path)
        if target not in allowed
    ]


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_package_imports_only_packages_below_it(package: str) -> None:
    assert back_edges(package) == []


def test_every_package_is_placed_in_the_tree() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    packages |= {p.stem for p in SRC.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert packages <= set(MAY_IMPORT), packages - set(MAY_IMPORT)


def test_the_check_sees_a_lazy_back_edge(tmp_path: Path) -> None:
    """The reader finds an import inside a function body (how the old spec -> rules edge was written)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from archkit.verify.rules.registry import rule_ids\n    return rule_ids\n"
    )
    assert imports_of(sample) == [(2, "verify")]
