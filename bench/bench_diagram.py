"""Benchmark: render all seven views (png, svg, dot, txt, mmd) for the reference spec and for a spec
scaled up to ~300 resources built from it; reports times and their ratio (no timed assertions).

    python bench/bench_diagram.py [--repeat 3] [--resources 300] [--baseline /path/to/other/checkout/src]

With ``--baseline`` the same measurement also runs (in a subprocess, in the same run) against another
checkout's ``src`` (e.g. main before a change), and the report gives the ratio between the two.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from archkit.diagram import FORMATS, build_views, write_views
from archkit.spec import ArchSpec, spec_from_dict
from archkit.spec.inventory import resources

ROOT = Path(__file__).resolve().parents[1]


def scaled_spec(doc: dict[str, Any], target: int) -> ArchSpec:
    """The reference spec plus copies of a function, table, bucket, secret and routes: ~target resources."""
    doc = copy.deepcopy(doc)
    base_fn = doc["functions"]["get_user_id"]
    base_table = doc["tables"]["main"]
    base_bucket = {k: v for k, v in doc["buckets"]["assets"].items() if k != "policies"}
    i = 0
    while len(resources(spec_from_dict(doc))) < target:
        for _ in range(10):
            i += 1
            table, bucket, fn = f"table{i}", f"bucket{i}", f"fn{i}"
            doc["tables"][table] = {**copy.deepcopy(base_table), "stream": None, "replicas": []}
            doc["buckets"][bucket] = copy.deepcopy(base_bucket)
            doc["secrets"][f"secret{i}"] = {"description": f"Secret {i}", "kms_key": "data"}
            doc["functions"][fn] = {
                **copy.deepcopy(base_fn),
                "description": f"Handles /api/things{i}",
                "grants": {f"tables.{table}": "read_write", f"buckets.{bucket}": "read"},
                "secrets": [f"secret{i}"],
                "environment": {"TABLE_NAME": f"${{tables.{table}.name}}"},
            }
            doc["api"]["routes"][f"/api/things{i}"] = {"GET": fn, "POST": fn}
            doc["api"]["routes"][f"/api/things{i}/{{id}}"] = {"GET": fn, "DELETE": fn}
    return spec_from_dict(doc)


def time_render(spec: ArchSpec, repeat: int) -> tuple[float, float]:
    """Median seconds to (build views, build + render and write every view in every format)."""
    build, total = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            views = build_views(spec)
            built = time.perf_counter()
            write_views(views, tmp, FORMATS)
            done = time.perf_counter()
        build.append(built - started)
        total.append(done - started)
    return statistics.median(build), statistics.median(total)


def measure(repeat: int, target: int) -> dict[str, float]:
    doc = yaml.safe_load((ROOT / "specs" / "reference.yaml").read_text(encoding="utf-8"))
    reference = spec_from_dict(doc)
    big = scaled_spec(doc, target)
    ref_build, ref_total = time_render(reference, repeat)
    big_build, big_total = time_render(big, repeat)
    return {
        "ref_resources": len(resources(reference)),
        "big_resources": len(resources(big)),
        "ref_build": ref_build,
        "ref_total": ref_total,
        "big_build": big_build,
        "big_total": big_total,
        "diagrams": len(build_views(reference)),
    }


def report(label: str, m: dict[str, float]) -> None:
    print(f"{label}: {int(m['diagrams'])} diagrams x {len(FORMATS)} formats")
    print(f"  {'spec':<12} {'resources':>9} {'build views':>12} {'render all':>11}")
    for name, key in (("reference", "ref"), ("scaled", "big")):
        build, total = m[f"{key}_build"] * 1000, m[f"{key}_total"]
        print(f"  {name:<12} {m[f'{key}_resources']:>9} {build:>10.1f}ms {total:>10.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resources", type=int, default=300)
    parser.add_argument("--baseline", type=Path, help="`src` directory of the checkout to compare with")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.repeat, args.resources)))
        return
    before = None
    if args.baseline is not None:
        env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
        cmd = [
            sys.executable,
            __file__,
            "--json",
            "--repeat",
            str(args.repeat),
            "--resources",
            str(args.resources),
        ]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        before = json.loads(out.strip().splitlines()[-1])
        report(f"baseline ({args.baseline})", before)
    now = measure(args.repeat, args.resources)
    report("this checkout", now)
    print(
        f"ratio: {now['big_resources'] / now['ref_resources']:.1f}x resources -> "
        f"{now['big_total'] / now['ref_total']:.1f}x render time"
    )
    if before is not None:
        print(
            f"vs baseline: reference {now['ref_total'] / before['ref_total']:.2f}x, "
            f"scaled {now['big_total'] / before['big_total']:.2f}x the baseline's render time"
        )


if __name__ == "__main__":
    main()
