#!/usr/bin/env python3
"""Refresh src/archkit/diff/data/create_only.json from cfn-lint's CloudFormation resource schemas.

`archkit diff` decides that a change replaces a resource from the schema's ``createOnlyProperties`` (and
``conditionalCreateOnlyProperties``) of the template property that changes. cfn-lint ships those schemas but
is too heavy for a runtime dependency, so this script keeps a compact copy for the resource types archkit
emits: those in the committed reference templates (generated/cdk.out) plus every type named in archkit's
source. Run it after bumping cfn-lint (`make refresh-create-only`); tests/diff/test_create_only.py fails
while the copy differs from what the installed cfn-lint says.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from archkit.diff.create_only import DATA_FILE, SCHEMA_REGION  # noqa: E402

_TYPE = re.compile(r"\bAWS::[A-Za-z0-9]+::[A-Za-z0-9]+\b")


def emitted_types(root: Path = ROOT) -> set[str]:
    types: set[str] = set()
    for template in (root / "generated" / "cdk.out").glob("*.template.json"):
        resources = json.loads(template.read_text(encoding="utf-8")).get("Resources", {})
        types.update(r["Type"] for r in resources.values() if r["Type"].startswith("AWS::"))
    # What archkit emits is decided by its CDK constructs and the spec's inventory (the emulator's handlers
    # name the types it can deploy, which is not the same).
    for package in ("cdk", "spec"):
        for source in (root / "src" / "archkit" / package).rglob("*.py"):
            types.update(_TYPE.findall(source.read_text(encoding="utf-8")))
    return types


def schema_entry(resource_type: str) -> dict[str, list[str]] | None:
    """The create-only property paths of one type per the installed cfn-lint (None: no schema)."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    from cfnlint.schema._exceptions import ResourceNotFoundError

    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(SCHEMA_REGION, resource_type).schema
    except ResourceNotFoundError:
        return None

    def props(key: str) -> list[str]:
        return sorted(p.removeprefix("/properties/") for p in schema.get(key, []))

    return {
        "create_only": props("createOnlyProperties"),
        "conditional": props("conditionalCreateOnlyProperties"),
        "properties": sorted(
            schema.get("properties", {})
        ),  # every top-level property: the rest update in place
    }


def build(types: set[str]) -> dict[str, object]:
    entries = {t: e for t in sorted(types) if (e := schema_entry(t)) is not None}
    return {
        "source": f"cfn-lint {metadata.version('cfn-lint')} resource schemas ({SCHEMA_REGION})",
        "types": entries,
    }


def main() -> int:
    data = build(emitted_types())
    DATA_FILE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DATA_FILE.relative_to(ROOT)}: {len(data['types'])} resource types")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
