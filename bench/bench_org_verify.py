"""Benchmark of the continuous verifier's worker across an organisation: N simulated accounts (default 50)
in one moto server, each holding a small deployment, verified by the Lambda worker (in-process, as the
Step Functions Map would run it) with 1, 2, 4, 8, 16 targets at once; wall time as ratios against the
concurrency-1 baseline of the same run.

    python bench/bench_org_verify.py [--accounts 50] [--size 30] [--concurrency 1 2 4 8 16] [--latency-ms 50]

Each account is a separate account id in the one emulator (moto keys state by the account of the assumed
role's credentials): the synthetic spec of bench_verify.py is synthesized once and deployed into every
account through an assumed role. The worker assumes each target's role, verifies, writes JSON/SARIF and
the spec to S3 and imports its findings into the target's Security Hub, exactly as on AWS.

Latency mode (`--latency-ms 50`): the worker's calls pass through bench/http_proxy.py, which holds each
request that long, as a real region answers in tens of milliseconds. Without it, moto's single process on
a shared machine is the bottleneck and concurrency gains little; with it, the gain shows how well the Map
overlaps targets. Goal: with latency, wall time falls close to 1/concurrency until the emulator's CPU
saturates; every target reads clean (0 drift).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import yaml

from archkit.cdk.app import build
from archkit.emulate.assembly import Assembly
from archkit.emulate.deploy import Executor
from archkit.emulate.server import FAKE_CREDENTIALS, spawn_server
from archkit.spec import load_spec
from archkit.verifier import worker
from archkit.verify.targets import DEFAULT_ROLE_NAME
from bench_verify import synthetic_spec  # bench/, beside this script
from http_proxy import proxy

BUCKET = "archkit-verifier-bench"
FIRST_ACCOUNT = 100000000000


def deploy_into(cdk_out: Path, endpoint: str, account: str) -> None:
    """The assembly deployed into ``account``: the deployer's calls made with a role assumed there."""
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{DEFAULT_ROLE_NAME}", RoleSessionName="deploy"
    )
    executor = Executor(endpoint)
    executor.credentials = {
        "aws_access_key_id": creds["Credentials"]["AccessKeyId"],
        "aws_secret_access_key": creds["Credentials"]["SecretAccessKey"],
        "aws_session_token": creds["Credentials"]["SessionToken"],
    }
    executor._clients.clear()
    executor.account = account
    executor.deploy(Assembly.read(cdk_out))


def account_spec(size: int, directory: Path) -> tuple[Any, Path]:
    """bench_verify's synthetic spec without buckets (S3 names are global: one account could hold them)."""
    _, path = synthetic_spec(size, directory)
    doc = yaml.safe_load(path.read_text())
    doc["buckets"] = {}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return load_spec(path), path


def event(environment: str, account: str) -> dict[str, Any]:
    target = {
        "environment": environment,
        "account": account,
        "region": "us-east-1",
        "role_name": DEFAULT_ROLE_NAME,
    }
    return {"target": target, "run_id": "bench"}


def run(accounts: int, size: int, levels: list[int], latency_ms: float) -> list[dict[str, float]]:
    os.environ.update(FAKE_CREDENTIALS)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    stack = contextlib.ExitStack()
    server = spawn_server()  # its own process: moto's work must not share the worker's interpreter lock
    stack.callback(server.stop)
    rows: list[dict[str, float]] = []
    try:
        work = Path(tempfile.mkdtemp(prefix="bench-org-"))
        spec, spec_path = account_spec(size, work)
        cdk_out = work / "cdk.out"
        build(spec, spec_dir=work, outdir=cdk_out, nag=False).app.synth()
        ids = [str(FIRST_ACCOUNT + i) for i in range(accounts)]
        t0 = time.perf_counter()
        for account in ids:
            deploy_into(cdk_out, server.endpoint, account)
        print(
            f"{accounts} accounts of {size} resources deployed in {time.perf_counter() - t0:.1f}s", flush=True
        )
        boto3.client("s3", endpoint_url=server.endpoint).create_bucket(Bucket=BUCKET)
        endpoint = server.endpoint
        if latency_ms:
            endpoint = stack.enter_context(proxy(server.endpoint, latency=latency_ms / 1000)).url
            print(f"every API call waits {latency_ms:g} ms in a proxy before moto answers", flush=True)
        os.environ.update(
            {
                worker.ENV_SPEC: str(spec_path),
                worker.ENV_BUCKET: BUCKET,
                worker.ENV_ENDPOINT: endpoint,
                worker.ENV_CALLS_PER_SECOND: "0",
            }
        )
        worker.handler(event(spec.environment, ids[0]))  # moto loads its backends on first use: not timed
        for level in levels:
            t1 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=level) as pool:
                results = list(pool.map(lambda a: worker.handler(event(spec.environment, a)), ids))
            wall = time.perf_counter() - t1
            drift = sum(r["summary"]["drift"] for r in results)
            checked = sum(r["summary"]["resources_checked"] for r in results)
            if drift and not rows:  # say what differs, once
                key = f"{worker.report_prefix('bench', f'{spec.environment}/{ids[0]}/us-east-1')}report.json"
                body = boto3.client("s3", endpoint_url=server.endpoint).get_object(Bucket=BUCKET, Key=key)[
                    "Body"
                ]
                found = [f for f in json.loads(body.read())["findings"] if f["kind"] == "drift"]
                print(
                    "  drift in each account: "
                    + "; ".join(f"{f['resource']} {f['change']} {f.get('attribute')}" for f in found)
                )
            rows.append({"concurrency": level, "wall": wall, "drift": drift, "checked": checked})
            print(
                f"concurrency {level:>2}: {wall:6.1f}s for {accounts} targets "
                f"({wall / accounts:.2f}s/target), {checked} resources checked, drift {drift}",
                flush=True,
            )
    finally:
        stack.close()
    base = rows[0]
    print(f"\nratios against concurrency {base['concurrency']:.0f} (ideal speed-up = the concurrency ratio):")
    for row in rows:
        print(
            f"  concurrency x{row['concurrency'] / base['concurrency']:4.1f} -> "
            f"wall x{row['wall'] / base['wall']:5.2f} (speed-up x{base['wall'] / row['wall']:4.1f})"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--size", type=int, default=30, help="resources per account (approximate)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every API call")
    args = parser.parse_args()
    run(args.accounts, args.size, args.concurrency, args.latency_ms)


if __name__ == "__main__":
    main()
