"""Paths and the synthesized-assembly helper shared by the CDK tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared import REFERENCE as REFERENCE_SPEC  # noqa: F401  (re-exported for the tests of this area)
from shared import ROOT

GENERATED = ROOT / "generated"


class Assembly:
    """The synthesized reference app: templates by stack name, plus helpers to find resources."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.cdk_out = out_dir / "cdk.out"
        manifest = json.loads((self.cdk_out / "manifest.json").read_text())
        self.stacks: dict[str, dict[str, Any]] = {}
        self.regions: dict[str, str] = {}
        for name, artifact in manifest["artifacts"].items():
            if artifact["type"] == "aws:cloudformation:stack":
                self.stacks[name] = json.loads(
                    (self.cdk_out / artifact["properties"]["templateFile"]).read_text()
                )
                self.regions[name] = artifact["environment"].rsplit("/", 1)[-1]
        self._templates: dict[str, Any] = {}

    def template(self, stack: str) -> Any:
        """An ``aws_cdk.assertions.Template`` of one stack."""
        from aws_cdk.assertions import Template

        if stack not in self._templates:
            self._templates[stack] = Template.from_json(self.stacks[stack])
        return self._templates[stack]

    def resources(self, stack: str, cfn_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.stacks[stack]["Resources"].items() if v["Type"] == cfn_type}

    def one(self, stack: str, cfn_type: str, **props: Any) -> tuple[str, dict[str, Any]]:
        """The single resource of a type whose properties include ``props``."""
        found = [
            (k, v)
            for k, v in self.resources(stack, cfn_type).items()
            if all(v.get("Properties", {}).get(p) == want for p, want in props.items())
        ]
        assert len(found) == 1, (
            f"expected one {cfn_type} with {props} in {stack}, found {[k for k, _ in found]}"
        )
        return found[0]

    def tagged(self, stack: str, cfn_type: str, spec_path: str) -> list[str]:
        """Logical ids of resources tagged ``archkit:id = spec_path``."""
        out = []
        for key, res in self.resources(stack, cfn_type).items():
            tags = res.get("Properties", {}).get("Tags", [])
            if isinstance(tags, list) and {"Key": "archkit:id", "Value": spec_path} in tags:
                out.append(key)
        return out

    def import_of(self, stack: str, logical_id: str, attribute: str | None = None) -> dict[str, str]:
        """The ``Fn::ImportValue`` another stack uses for a resource's ``Ref`` (or ``attribute``)."""
        want = {"Ref": logical_id} if attribute is None else {"Fn::GetAtt": [logical_id, attribute]}
        for output in self.stacks[stack].get("Outputs", {}).values():
            if output["Value"] == want:
                return {"Fn::ImportValue": output["Export"]["Name"]}
        raise AssertionError(f"{want} is not exported by {stack}")
