"""Benchmark: render all seven views (png, svg, dot, txt, mmd) for the reference spec and for a spec
scaled up to ~300 resources built from it; reports times and their ratio (no timed assertions).

    python bench/bench_diagram.py [--repeat 3] [--resources 300]
"""

from __future__ import annotations

import argparse
import copy
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resources", type=int, default=300)
    args = parser.parse_args()
    doc = yaml.safe_load((ROOT / "specs" / "reference.yaml").read_text(encoding="utf-8"))
    reference = spec_from_dict(doc)
    big = scaled_spec(doc, args.resources)
    n_ref, n_big = len(resources(reference)), len(resources(big))
    ref_build, ref_total = time_render(reference, args.repeat)
    big_build, big_total = time_render(big, args.repeat)
    print(f"{'spec':<12} {'resources':>9} {'build views':>12} {'render all':>11}")
    print(f"{'reference':<12} {n_ref:>9} {ref_build * 1000:>10.1f}ms {ref_total:>10.2f}s")
    print(f"{'scaled':<12} {n_big:>9} {big_build * 1000:>10.1f}ms {big_total:>10.2f}s")
    print(
        f"ratio: {n_big / n_ref:.1f}x resources -> {big_build / ref_build:.1f}x build time, "
        f"{big_total / ref_total:.1f}x render time (7 views x {len(FORMATS)} formats)"
    )


if __name__ == "__main__":
    main()
