"""Benchmark: compliance rule evaluation, as ratios against baselines measured in the same run.

- rule discovery (what a spec with suppressions adds to `archkit validate`, in a fresh interpreter) vs
  importing the spec package;
- static evaluation of the reference spec vs loading that spec (what `archkit verify --static` adds to
  `archkit validate`);
- evaluation of a system with 20x vs 2x the reference's functions, tables and buckets: the engine scales
  linearly when the time ratio stays near the ratios of states and outcomes (not their square).

Run: python bench/bench_rules.py
"""

from __future__ import annotations

import copy
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _best(fn: Callable[[], Any], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _scaled(doc: dict[str, Any], factor: int) -> dict[str, Any]:
    """The reference document with every function, table and bucket copied ``factor`` times."""
    big = copy.deepcopy(doc)
    for kind in ("functions", "tables", "buckets"):
        for key, value in list(doc[kind].items()):
            for i in range(1, factor):
                big[kind][f"{key}_{i}"] = copy.deepcopy(value)
    for i in range(1, factor):
        big["tables"][f"main_{i}"]["stream"]["consumer"] = f"process_stream_{i}"
    return big


_DISCOVERY = """
import time
t0 = time.perf_counter()
import archkit.spec
t1 = time.perf_counter()
from archkit.verify.rules.registry import all_rules
all_rules()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _discovery_ratio() -> float:
    import subprocess
    import sys

    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", _DISCOVERY], capture_output=True, text=True, check=True, cwd=ROOT
        )
        spec_import, discovery = map(float, out.stdout.split())
        runs.append(discovery / spec_import)
    return statistics.median(runs)


def main() -> None:
    from archkit.spec import load_spec, spec_from_dict
    from archkit.verify.desired import desired_states
    from archkit.verify.rules import all_rules, evaluate_results

    print(f"rule discovery / spec package import (fresh interpreter): {_discovery_ratio():6.3f}x")
    all_rules()  # discovery is a one-off import cost, not part of evaluation
    path = ROOT / "specs" / "reference.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec = load_spec(path)
    states = desired_states(spec)
    load = _best(lambda: load_spec(path))
    evaluate = _best(lambda: evaluate_results(states, spec))
    print(f"static evaluation / spec load (reference, {len(states)} states): {evaluate / load:6.3f}x")

    # Same mix of resources at two sizes, so the ratio isolates scaling from the cost of each rule.
    small_spec, large_spec = spec_from_dict(_scaled(doc, 2)), spec_from_dict(_scaled(doc, 20))
    small, large = desired_states(small_spec), desired_states(large_spec)
    small_time = _best(lambda: evaluate_results(small, small_spec))
    large_time = _best(lambda: evaluate_results(large, large_spec))
    small_n, large_n = len(evaluate_results(small, small_spec)), len(evaluate_results(large, large_spec))
    print(f"states, 20x / 2x system ({len(large)} / {len(small)}): {len(large) / len(small):6.2f}x")
    print(f"outcomes, 20x / 2x system ({large_n} / {small_n}): {large_n / small_n:6.2f}x")
    print(
        f"evaluation time, 20x / 2x system: {large_time / small_time:6.2f}x (linear: near the ratios above)"
    )


if __name__ == "__main__":
    main()
