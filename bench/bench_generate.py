"""Benchmark: `archkit generate` on the reference spec against a hand-written plain CDK app with the same
core resources (bench/baseline/plain_cdk_app.py), in the same run; and the up-to-date re-run (synthesis
skipped) against a full generate. Each command runs in a fresh process, alternating, median of --repeat.

    python bench/bench_generate.py [--repeat 3]

Reports ratios (goal: generate / plain CDK ≤ 1.10; skip well under a second). No timed assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "reference.yaml"
BASELINE = ROOT / "bench" / "baseline" / "plain_cdk_app.py"


def _run(args: list[str]) -> float:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    archkit = [sys.executable, "-m", "archkit", "generate", "--spec", str(SPEC)]
    times: dict[str, list[float]] = {"generate": [], "plain+nag": [], "plain": [], "skip": []}
    try:
        for i in range(args.repeat):
            out = work / f"gen{i}"
            times["generate"].append(_run([*archkit, "--out", str(out), "--force"]))
            times["plain+nag"].append(
                _run([sys.executable, str(BASELINE), str(work / f"plain-nag{i}"), "--nag"])
            )
            times["plain"].append(_run([sys.executable, str(BASELINE), str(work / f"plain{i}")]))
            times["skip"].append(_run([*archkit, "--out", str(out)]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs per command: {args.repeat} (median seconds, fresh process each)")
    for name, label in (
        ("generate", "archkit generate --force (reference spec, cdk-nag)"),
        ("plain+nag", "plain CDK app, same core resources, cdk-nag"),
        ("plain", "plain CDK app, same core resources, no cdk-nag"),
        ("skip", "archkit generate, unchanged spec (synthesis skipped)"),
    ):
        print(f"  {label:<55} {med[name]:7.2f} s   {' '.join(f'{t:.2f}' for t in times[name])}")
    with_nag = med["generate"] / med["plain+nag"]
    print(f"ratio generate / plain CDK with cdk-nag   : {with_nag:.2f}  (goal <= 1.10)")
    print(f"ratio generate / plain CDK without cdk-nag: {med['generate'] / med['plain']:.2f}")
    skip = med["skip"] / med["generate"]
    print(f"ratio skipped re-run / full generate      : {skip:.3f}  ({med['skip']:.2f} s)")


if __name__ == "__main__":
    main()
