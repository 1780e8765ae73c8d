"""Small readers shared by the packaging tests."""

from __future__ import annotations

from typing import Any


def archkit_lines_of_workflow(workflow: dict[str, Any]) -> list[str]:
    """The `run:` commands of a GitHub Actions workflow that call archkit, in order."""
    return [
        step["run"].strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if str(step.get("run", "")).strip().startswith("archkit ")
    ]
