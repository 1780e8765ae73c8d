"""CDK tests: the reference spec is synthesized once per session (in one xdist group) and reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cdk_helpers import REFERENCE_SPEC, Assembly


@pytest.fixture(scope="session")
def reference_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`archkit generate` output of the reference spec (synthesized once per session)."""
    from archkit.cdk.synth import synthesize
    from archkit.spec import load_spec

    out = tmp_path_factory.mktemp("generated")
    synthesize(load_spec(REFERENCE_SPEC), REFERENCE_SPEC, out, force=True)
    return out


@pytest.fixture(scope="session")
def assembly(reference_out: Path) -> Assembly:
    return Assembly(reference_out)
