"""Benchmark of `archkit verify` against a synthetic account in moto: wall time and API calls per resource
at 250, 1,000 and 2,000 resources, as ratios against the 250-resource baseline of the same run.

    python bench/bench_verify.py [--sizes 250 1000 2000] [--latency-ms 50] [--workers 16]

Each size is its own environment in one emulator (distinct names and tags): a small network plus tables,
functions and buckets in equal parts, synthesized and deployed (`archkit.emulate`), then read by verify once.
Goal: wall time grows linearly with resources; calls per resource stay flat at what the APIs require
(S3: one call per bucket setting; Lambda: GetFunction plus the role's policies; DynamoDB: table, backups,
TTL, tags).

Latency mode (`--latency-ms 50`): verify reads through a forwarding proxy (bench/http_proxy.py) that holds
every API request that long before passing it to moto, as a real AWS region answers in tens of
milliseconds; then wall time measures how well verify overlaps its calls. Goal: 1,000 resources at
50 ms/call in under 25 s, with the same calls per resource as without latency.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from archkit.cdk.app import build
from archkit.emulate.deploy import deploy_assembly
from archkit.emulate.server import FAKE_CREDENTIALS, spawn_server
from archkit.spec import ArchSpec, load_spec
from archkit.verify.collect.aws import Aws, AwsOptions
from archkit.verify.kinds.reading import DEFAULT_MAX_WORKERS
from archkit.verify.run import verify_account
from http_proxy import proxy  # bench/, beside this script

NETWORK_RESOURCES = 6  # VPC, public + private subnet and their route tables, one security group


def synthetic_spec(size: int, directory: Path) -> tuple[ArchSpec, Path]:
    """A spec of about ``size`` resources: a tiny network, then tables, functions and buckets (written to
    ``directory`` with handler code, as `archkit generate` needs)."""
    per_kind = max(1, (size - NETWORK_RESOURCES) // 3)
    doc: dict[str, Any] = {
        "project": "bench",
        "owner": "perf",
        "environment": f"s{size}",
        "availability_zones": ["us-east-1a"],
        "network": {
            "public_subnets": [{"az": "us-east-1a", "cidr": "10.0.0.0/24"}],
            "private_subnets": [{"az": "us-east-1a", "cidr": "10.0.10.0/24"}],
            "nat_gateways": 0,
            "flow_logs": {"enabled": False},
            "security_groups": {
                "lambda": {"description": "functions", "egress": [{"port": 443, "cidr": "0.0.0.0/0"}]}
            },
        },
        "edge": {"dns": {"enabled": False}, "cdn": {"enabled": False}, "waf": {"enabled": False}},
        "cost": {"anomaly_detection": {"enabled": False}},
        "tables": {f"t{i}": {"partition_key": "id", "point_in_time_recovery": True} for i in range(per_kind)},
        "functions": {
            f"f{i}": {
                "handler": "app.handler",
                "security_groups": ["lambda"],
                "environment": {"TABLE": f"${{tables.t{i}.name}}"},
            }
            for i in range(per_kind)
        },
        "buckets": {
            f"b{i}": {"lifecycle": [{"id": "expire", "prefix": "", "expiration_days": 30}]}
            for i in range(per_kind)
        },
    }
    code = directory / "lambda"
    code.mkdir(exist_ok=True)
    (code / "app.py").write_text("def handler(event, context):\n    return {}\n")
    path = directory / f"bench-{size}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return load_spec(path), path


def _aws(endpoint: str, workers: int) -> Aws:
    return Aws(AwsOptions(region="us-east-1", endpoint_url=endpoint, calls_per_second=0, max_workers=workers))


def run(
    sizes: list[int], latency_ms: float = 0.0, workers: int = DEFAULT_MAX_WORKERS
) -> list[dict[str, float]]:
    os.environ.update(FAKE_CREDENTIALS)
    stack = contextlib.ExitStack()
    # The emulator in its own process: its work must not share verify's interpreter lock, or the wall time
    # would measure moto as much as verify.
    server = spawn_server()
    stack.callback(server.stop)
    endpoint = server.endpoint
    rows = []
    try:
        read_endpoint = endpoint
        if latency_ms:
            read_endpoint = stack.enter_context(proxy(endpoint, latency=latency_ms / 1000)).url
            print(
                f"every API call of verify waits {latency_ms:g} ms in a proxy before moto answers", flush=True
            )
        for size in sizes:
            work = Path(tempfile.mkdtemp(prefix="bench-verify-"))
            spec, _ = synthetic_spec(size, work)
            cdk_out = work / "cdk.out"  # cdk-nag off: the synthetic spec acknowledges none of its findings
            build(spec, spec_dir=work, outdir=cdk_out, nag=False).app.synth()
            t0 = time.perf_counter()
            deploy_assembly(cdk_out, endpoint)
            provisioned = time.perf_counter() - t0
            direct = 0.0
            if latency_ms:  # the same account read without the delay: what the latency itself costs
                t1 = time.perf_counter()
                verify_account(spec, "synthetic", _aws(endpoint, workers))
                direct = time.perf_counter() - t1
            t1 = time.perf_counter()
            result = verify_account(spec, "synthetic", _aws(read_endpoint, workers))
            wall = time.perf_counter() - t1
            drift = result.report.summary.drift
            resources = result.report.summary.resources_checked
            calls = sum(result.calls.values())
            rows.append(
                {
                    "size": size,
                    "resources": resources,
                    "wall": wall,
                    "calls": calls,
                    "provision": provisioned,
                    "drift": drift,
                    "direct": direct,
                }
            )
            print(
                f"{resources:>5} resources: verify {wall:6.2f}s, {calls:>6} calls "
                f"({calls / resources:.2f}/resource), "
                f"drift {drift} (deploying took {provisioned:.1f}s)",
                flush=True,
            )
    finally:
        stack.close()
    if latency_ms:
        for row in rows:
            serial = row["calls"] * latency_ms / 1000
            print(
                f"  {row['resources']:>5.0f} resources: "
                f"{row['calls'] / row['resources']:.2f} calls/resource, "
                f"wall {row['wall']:.1f}s vs {serial:.0f}s if the calls ran one after another "
                f"(overlap x{serial / row['wall']:.1f}); without the delay {row['direct']:.1f}s, "
                f"so the latency added {row['wall'] - row['direct']:+.1f}s"
            )
    base = rows[0]
    print("\nratios against the smallest size (linear growth = the resource ratio):")
    for row in rows:
        r = row["resources"] / base["resources"]
        print(
            f"  x{r:4.1f} resources -> wall x{row['wall'] / base['wall']:4.1f}, "
            f"calls x{row['calls'] / base['calls']:4.1f}, "
            f"calls/resource x{(row['calls'] / row['resources']) / (base['calls'] / base['resources']):4.2f}"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000])
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every API call")
    parser.add_argument("--workers", type=int, default=DEFAULT_MAX_WORKERS, help="verify's --max-workers")
    args = parser.parse_args()
    run(args.sizes, args.latency_ms, args.workers)


if __name__ == "__main__":
    main()
