"""A CDK cloud assembly (`cdk.out`) as the deployer reads it: its stacks with their regions, templates and
file assets, in dependency order."""

from __future__ import annotations

import graphlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archkit.emulate.registry import DeployError


@dataclass
class StackArtifact:
    name: str
    region: str
    template: dict[str, Any]
    dependencies: list[str]
    assets_file: Path | None


@dataclass
class Assembly:
    """A CDK cloud assembly directory (``cdk.out``)."""

    directory: Path
    stacks: list[StackArtifact]

    @classmethod
    def read(cls, directory: Path) -> Assembly:
        manifest = json.loads((directory / "manifest.json").read_text())
        artifacts = manifest["artifacts"]
        stacks: dict[str, StackArtifact] = {}
        for name, art in artifacts.items():
            if art.get("type") != "aws:cloudformation:stack":
                continue
            region = art["environment"].rsplit("/", 1)[-1]
            if region == "unknown-region":
                raise DeployError(
                    f"stack {name} has no region (environment-agnostic stacks are not supported)"
                )
            deps = [d for d in art.get("dependencies", []) if artifacts.get(d, {}).get("type") == art["type"]]
            assets = [
                d
                for d in art.get("dependencies", [])
                if artifacts.get(d, {}).get("type") == "cdk:asset-manifest"
            ]
            assets_file = directory / artifacts[assets[0]]["properties"]["file"] if assets else None
            template = json.loads((directory / art["properties"]["templateFile"]).read_text())
            stacks[name] = StackArtifact(name, region, template, deps, assets_file)
        order = graphlib.TopologicalSorter({n: s.dependencies for n, s in stacks.items()})
        return cls(directory, [stacks[n] for n in order.static_order()])
