"""Benchmark of the spec layer (a report, not a test).

1. `archkit validate` on the reference spec, in a fresh process, as a ratio to `python -c "import pydantic"`
   measured in the same run (the floor any pydantic-based CLI pays).
2. Loading a generated spec of about 5,000 resources, as a ratio to loading the reference spec in-process.

Run: python bench/bench_validate.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "specs" / "reference.yaml"
RUNS = 7


def _wall(cmd: list[str]) -> float:
    times = []
    env = {**os.environ, "ARCHKIT_SPEC": ""}
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_spec(target: int = 5000) -> dict[str, Any]:
    """A valid spec of about ``target`` resources: functions, tables, buckets, secrets and API routes."""
    per_kind = (target - 60) // 3
    azs = ["us-east-1a", "us-east-1b", "us-east-1c"]
    functions: dict[str, Any] = {}
    for i in range(per_kind):
        functions[f"fn_{i}"] = {
            "handler": f"app.handler_{i}",
            "memory": 128 + (i % 80) * 64,
            "timeout": 1 + i % 900,
            "environment": {"TABLE_NAME": f"${{tables.t_{i}.name}}", "ENVIRONMENT": "${environment}"},
            "secrets": [f"s_{i}"],
            "grants": {
                f"tables.t_{i}": "read_write",
                f"buckets.b_{i % 50}": {"access": "read", "prefixes": ["data/"]},
            },
        }
    return {
        "project": "big",
        "owner": "bench-team",
        "availability_zones": azs,
        "environments": {"prod": {}, "dev": {"functions": {"*": {"memory": 256}}}},
        "network": {
            "public_subnets": [{"az": az, "cidr": f"10.0.{i}.0/24"} for i, az in enumerate(azs)],
            "private_subnets": [{"az": az, "cidr": f"10.0.{10 + i}.0/24"} for i, az in enumerate(azs)],
            "nat_gateways": 3,
        },
        "edge": {"dns": {"enabled": False}, "cdn": {"enabled": False}, "waf": {"enabled": False}},
        "functions": functions,
        "tables": {
            f"t_{i}": {
                "partition_key": "pk",
                "sort_key": {"name": "sk", "type": "number"},
                "stream": {"consumer": f"fn_{i}"},
            }
            for i in range(per_kind)
        },
        "buckets": {
            f"b_{i}": {
                "prefixes": [{"path": "data/"}],
                "lifecycle": [{"id": "x", "prefix": "data/", "expiration_days": 30}],
            }
            for i in range(50)
        },
        "secrets": {f"s_{i}": {"description": f"secret {i}"} for i in range(per_kind)},
        "api": {"routes": {f"/r{i}": {"GET": f"fn_{i}"} for i in range(per_kind // 2)}},
    }


def _load_time(path: Path) -> tuple[float, int]:
    from archkit.spec import load_spec

    times, count = [], 0
    for _ in range(3):
        start = time.perf_counter()
        spec = load_spec(path)
        times.append(time.perf_counter() - start)
        count = len(spec.resources())
    return statistics.median(times), count


def main() -> None:
    baseline = _wall([sys.executable, "-c", "import pydantic"])
    validate = _wall([sys.executable, "-m", "archkit", "validate", str(REFERENCE)])
    print(f"python -c 'import pydantic'       {baseline * 1000:8.1f} ms  (baseline)")
    print(
        f"archkit validate reference.yaml   {validate * 1000:8.1f} ms  = {validate / baseline:.2f}x baseline"
    )

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.yaml"
        big.write_text(yaml.safe_dump(big_spec(), sort_keys=False))
        ref_time, ref_count = _load_time(REFERENCE)
        big_time, big_count = _load_time(big)
        size_kb = big.stat().st_size // 1024
        start = time.perf_counter()
        yaml.load(big.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        plain_yaml = time.perf_counter() - start
    print(f"load reference spec ({ref_count} resources)      {ref_time * 1000:8.1f} ms")
    print(
        f"load generated spec ({big_count} resources, {size_kb} KiB) {big_time * 1000:8.1f} ms"
        f"  = {big_time / ref_time:.1f}x reference, "
        f"{big_time / ref_time / (big_count / ref_count):.2f}x per resource"
    )
    print(
        f"  for scale: yaml.load alone takes {plain_yaml * 1000:.1f} ms ({plain_yaml / big_time:.0%} of that)"
    )


if __name__ == "__main__":
    main()
