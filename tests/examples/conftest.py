"""The example systems in specs/examples/: one synthesis and one emulated account per example per session.

Tests that read an example's account use the `examples` fixture; they run on one xdist worker (group
`examples`), so each example is deployed once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from archkit.spec import ArchSpec, load_spec
from shared import ROOT, DeployedAccount, deployed, synthesized

EXAMPLES_DIR = ROOT / "specs" / "examples"
EXAMPLES = sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml"))
"""Every example system, by name (the spec file's stem)."""

EXAMPLES_GROUP = "examples"


class Examples:
    """The examples of this session: specs, synthesized outputs and deployed accounts, made on first use."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, stack: ExitStack) -> None:
        self._tmp = tmp_path_factory
        self._stack = stack
        self._accounts: dict[str, DeployedAccount] = {}

    @staticmethod
    def path(name: str) -> Path:
        path = EXAMPLES_DIR / f"{name}.yaml"
        assert path.is_file(), f"no example {name!r} in {EXAMPLES_DIR} (have {EXAMPLES})"
        return path

    def spec(self, name: str, environment: str | None = None) -> ArchSpec:
        return load_spec(self.path(name), env=environment)

    def generated(self, name: str) -> Path:
        """`archkit generate` output of the example (``cdk.out``, ``cdk.json``), once per session."""
        return synthesized(self._tmp, f"example-{name}", self.path(name))

    def account(self, name: str) -> DeployedAccount:
        """The example's synthesized templates deployed into an emulator of its own (stopped at exit)."""
        if name not in self._accounts:
            self._accounts[name] = self._stack.enter_context(deployed(self.path(name), self.generated(name)))
        return self._accounts[name]


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Examples]:
    with ExitStack() as stack:
        yield Examples(tmp_path_factory, stack)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test using an example's account runs on the worker that holds the examples' accounts."""
    for item in items:
        if "examples" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(EXAMPLES_GROUP))
