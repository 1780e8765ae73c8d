"""Fixtures of the docs tests: one fresh generation from the reference spec and one strict site build,
shared by the whole session (a build takes seconds)."""

from __future__ import annotations

import pytest
from docs_helpers import ROOT, SPEC_SOURCE, SiteBuild, mkdocs_build


@pytest.fixture(scope="session")
def fresh_docs(reference_spec):
    """Everything `archkit docs` generates for the reference spec, in memory (diagrams included)."""
    from archkit.cli import app
    from archkit.docs import build_docs

    return build_docs(reference_spec, source=SPEC_SOURCE, cli_app=app)


@pytest.fixture(scope="session")
def arch_pages(fresh_docs) -> dict[str, str]:
    return {
        name: data.decode("utf-8") for name, data in fresh_docs.architecture.items() if name.endswith(".md")
    }


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> SiteBuild:
    """The committed docs built with `mkdocs build --strict` into a temporary site directory."""
    return mkdocs_build(ROOT, tmp_path_factory.mktemp("site") / "site")
