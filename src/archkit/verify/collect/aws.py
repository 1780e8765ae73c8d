"""AWS access for the collectors: one session, cached clients with adaptive retries, a calls-per-second cap
per service, a record of every call, and a guard that only the read operations of the IAM policy are made.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from archkit.verify.iam_policy import READ_OPERATIONS
from archkit.verify.kinds.reading import DEFAULT_MAX_WORKERS, WriteAttempted


@dataclass
class AwsOptions:
    profile: str | None = None
    region: str = "us-east-1"
    regions: tuple[str, ...] = ()
    role_arn: str | None = None
    endpoint_url: str | None = None
    max_workers: int = DEFAULT_MAX_WORKERS
    calls_per_second: float = 20.0
    service_rates: dict[str, float] = field(default_factory=dict)
    """Per-service caps overriding ``calls_per_second`` (botocore service name -> calls per second)."""
    max_attempts: int = 8


class RateLimiter:
    """A token bucket per service: at most ``rate`` calls per second, bursts of ``rate`` calls."""

    def __init__(self, rate: float, overrides: dict[str, float] | None = None) -> None:
        self.default = rate
        self.overrides = overrides or {}
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self._stamp: dict[str, float] = {}

    def acquire(self, service: str) -> None:
        rate = self.overrides.get(service, self.default)
        if rate <= 0:
            return
        while True:
            with self._lock:
                now = time.monotonic()
                elapsed = now - self._stamp.get(service, now)
                tokens = min(rate, self._tokens.get(service, rate) + elapsed * rate)
                self._stamp[service] = now
                if tokens >= 1:
                    self._tokens[service] = tokens - 1
                    return
                self._tokens[service] = tokens
                wait = (1 - tokens) / rate
            time.sleep(wait)


@dataclass
class Aws:
    """Client factory shared by the collectors (thread-safe)."""

    options: AwsOptions
    calls: Counter[str] = field(default_factory=Counter)
    hooks: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)
    """Extra botocore event handlers, e.g. ``("before-call", record)`` (tests, benchmarks, faults)."""
    _session: boto3.session.Session | None = field(default=None, init=False, repr=False)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _limiter: RateLimiter | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._limiter = RateLimiter(self.options.calls_per_second, self.options.service_rates)

    def _config(self) -> Config:
        return Config(
            retries={"mode": "adaptive", "max_attempts": self.options.max_attempts},
            max_pool_connections=max(10, self.options.max_workers),
            connect_timeout=5,
            read_timeout=30,
            user_agent_extra="archkit-verify",
        )

    def session(self) -> boto3.session.Session:
        with self._lock:
            if self._session is None:
                base = boto3.session.Session(
                    profile_name=self.options.profile, region_name=self.options.region
                )
                if self.options.role_arn:
                    sts = base.client("sts", endpoint_url=self.options.endpoint_url, config=self._config())
                    for event, hook in self.hooks:  # the role is assumed through the same hooks as every read
                        sts.meta.events.register(event, hook)
                    creds = sts.assume_role(RoleArn=self.options.role_arn, RoleSessionName="archkit-verify")[
                        "Credentials"
                    ]
                    base = boto3.session.Session(
                        aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"],
                        region_name=self.options.region,
                    )
                self._session = base
            return self._session

    def caller_account(self) -> str:
        """The account id, asked once with few retries: a missing credential or a dead endpoint fails fast."""
        config = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=3, read_timeout=10)
        session: Any = self.session()
        sts = session.client(
            "sts", region_name=self.options.region, endpoint_url=self.options.endpoint_url, config=config
        )
        sts.meta.events.register("before-call", self._before_call)
        for event, hook in self.hooks:
            sts.meta.events.register(event, hook)
        return str(sts.get_caller_identity()["Account"])

    def client(self, service: str, region: str | None = None) -> Any:
        region = region or self.options.region
        key = (service, region)
        with self._lock:
            cached = self._clients.get(key)
        if cached is not None:
            return cached
        session: Any = self.session()
        with self._lock:
            if key not in self._clients:
                client = session.client(
                    service, region_name=region, endpoint_url=self.options.endpoint_url, config=self._config()
                )
                client.meta.events.register("before-call", self._before_call)
                for event, hook in self.hooks:
                    client.meta.events.register(event, hook)
                self._clients[key] = client
            return self._clients[key]

    def _before_call(self, model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        operation = model.name
        if operation not in READ_OPERATIONS.get(service, ()):
            raise WriteAttempted(f"{service}:{operation} is not a read operation of the verify policy")
        assert self._limiter is not None
        self._limiter.acquire(service)
        with self._lock:
            self.calls[f"{service}:{operation}"] += 1
