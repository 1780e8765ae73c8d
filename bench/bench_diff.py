"""Benchmark: `archkit diff A B` of two reference specs (one field changed: the main table's sort key, a
destructive change) against two `archkit validate` runs, in the same run. The issue's goal: without
--diagram, a diff costs about two validates (it loads both specs and never imports aws_cdk).

Each command runs in a fresh process, diff and validate pair alternating, median of --repeat.

    python bench/bench_diff.py [--repeat 5]

Reports the ratio diff / (2 * validate). No timed assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "specs" / "reference.yaml"
CHANGE = ("sort_key: {name: item_id, type: string}", "sort_key: {name: sku, type: string}")


def _run(args: list[str], expect: int = 0) -> float:
    env = {**os.environ, "ARCHKIT_SPEC": ""}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != expect:
        raise SystemExit(f"{' '.join(args)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count(CHANGE[0]) == 1
    archkit = [sys.executable, "-m", "archkit"]
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        head = Path(tmp) / "head.yaml"
        head.write_text(text.replace(*CHANGE), encoding="utf-8")
        diff = [*archkit, "diff", str(REFERENCE), str(head), "--format", "json", "--fail-on", "destructive"]
        validate = [*archkit, "validate", str(REFERENCE)]
        _run(diff, expect=1)  # warm-up, and proof the change is found destructive
        times: dict[str, list[float]] = {"diff": [], "validate x2": []}
        for _ in range(args.repeat):
            times["diff"].append(_run(diff, expect=1))
            times["validate x2"].append(_run(validate) + _run(validate))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs per command: {args.repeat} (median seconds, fresh process each)")
    for name, label in (
        ("diff", "archkit diff reference.yaml <sort key changed> (json)"),
        ("validate x2", "archkit validate reference.yaml, twice"),
    ):
        print(f"  {label:<55} {med[name]:7.2f} s   {' '.join(f'{t:.2f}' for t in times[name])}")
    print(f"ratio diff / two validates: {med['diff'] / med['validate x2']:.2f}  (goal: close to 1)")


if __name__ == "__main__":
    main()
