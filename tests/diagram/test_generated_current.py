"""The committed generated/diagrams are what the reference spec renders to today.

Regenerate with: ``archkit diagram`` (from the repository root).
"""

from __future__ import annotations

import pytest
from diagram_helpers import DIAGRAMS, GENERATED


@pytest.mark.parametrize("name", DIAGRAMS)
@pytest.mark.parametrize("fmt", ["svg", "dot", "txt", "mmd"])
def test_committed_diagram_is_current(rendered, name, fmt):
    path = GENERATED / f"{name}.{fmt}"
    assert path.exists(), f"{path} is missing; run `archkit diagram`"
    assert path.read_bytes() == rendered[name][fmt], f"{path} is stale; run `archkit diagram`"


@pytest.mark.parametrize("name", DIAGRAMS)
def test_committed_png_exists(name):
    data = (GENERATED / f"{name}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
