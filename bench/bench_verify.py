"""Benchmark of `archkit verify` against a synthetic account in moto: wall time and API calls per resource
at 250, 1,000 and 2,000 resources, as ratios against the 250-resource baseline of the same run.

    python bench/bench_verify.py [--sizes 250 1000 2000]

Each size is its own environment in one emulator (distinct names and tags): a small network plus tables,
functions and buckets in equal parts, synthesized and deployed (`archkit.emulate`), then read by verify once.
Goal: wall time grows linearly with resources; calls per resource stay flat at what the APIs require
(S3: one call per bucket setting; Lambda: GetFunction plus the role's policies; DynamoDB: table, backups,
TTL, tags).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from archkit.cdk.app import build
from archkit.emulate.deploy import deploy_assembly
from archkit.emulate.server import FAKE_CREDENTIALS, start_server
from archkit.spec import ArchSpec, load_spec
from archkit.verify.collect.aws import Aws, AwsOptions
from archkit.verify.run import verify_account

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


def run(sizes: list[int]) -> list[dict[str, float]]:
    os.environ.update(FAKE_CREDENTIALS)
    server, endpoint = start_server()
    rows = []
    try:
        for size in sizes:
            work = Path(tempfile.mkdtemp(prefix="bench-verify-"))
            spec, _ = synthetic_spec(size, work)
            cdk_out = work / "cdk.out"  # cdk-nag off: the synthetic spec acknowledges none of its findings
            build(spec, spec_dir=work, outdir=cdk_out, nag=False).app.synth()
            t0 = time.perf_counter()
            deploy_assembly(cdk_out, endpoint)
            provisioned = time.perf_counter() - t0
            aws = Aws(
                AwsOptions(region="us-east-1", endpoint_url=endpoint, calls_per_second=0, max_workers=16)
            )
            t1 = time.perf_counter()
            result = verify_account(spec, "synthetic", aws)
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
                }
            )
            print(
                f"{resources:>5} resources: verify {wall:6.2f}s, {calls:>6} calls "
                f"({calls / resources:.2f}/resource), "
                f"drift {drift} (deploying took {provisioned:.1f}s)",
                flush=True,
            )
    finally:
        server.stop()
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
    args = parser.parse_args()
    run(args.sizes)


if __name__ == "__main__":
    main()
