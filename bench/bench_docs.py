"""Benchmark of `archkit docs` generation, reported as ratios against loading the spec in the same run.

Run: python bench/bench_docs.py [--repeat N]. Not a test: nothing is asserted, numbers are printed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "reference.yaml"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from archkit.docs import build_docs
    from archkit.docs.site import ArchitectureInput, architecture_files
    from archkit.spec import load_spec

    spec = load_spec(SPEC)
    build_docs(spec, source="specs/reference.yaml", diagrams=False)  # warm imports (Typer app, rules)

    baseline = best_of(lambda: load_spec(SPEC), args.repeat)
    pages = best_of(lambda: architecture_files(ArchitectureInput(spec=spec, source="s")), args.repeat)
    everything = best_of(lambda: build_docs(spec, source="specs/reference.yaml", diagrams=False), args.repeat)
    for label, seconds in (
        ("baseline: load_spec(reference.yaml)", baseline),
        ("architecture pages (8, no diagrams)", pages),
        ("all pages (architecture + 3 reference)", everything),
    ):
        print(f"{label:<42} {seconds * 1000:8.1f} ms  {seconds / baseline:6.2f}x")
    print(f"best of {args.repeat} runs each")


if __name__ == "__main__":
    main()
