"""What every kind's reader shares: the run context, error classification, attribute-level failures,
pagination.

Light on purpose (no boto3 at import): the kind modules, and through them the rules and docs, import it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from archkit.spec import ArchSpec
from archkit.spec.naming import ID_TAG
from archkit.verify.state import ResourceState

if TYPE_CHECKING:
    from archkit.verify.collect.aws import Aws


class Unsupported(Exception):
    """The endpoint offers no API for this read: reported as not_checked."""


class WriteAttempted(RuntimeError):
    """verify is read-only: an operation outside the read-only policy was about to be called."""


DEFAULT_MAX_WORKERS = 48
"""API calls verify keeps in flight: enough to hide ~50 ms per call on 1,000 resources (measured with
`bench/bench_verify.py --latency-ms 50`); the per-service calls-per-second cap still bounds the rate."""

T = TypeVar("T")
R = TypeVar("R")

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "AuthorizationError",
        "Forbidden",
        "403",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
    }
)
THROTTLING_CODES = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
)
UNSUPPORTED_CODES = frozenset({"NotImplemented", "InvalidAction", "UnknownOperationException", "501"})


def _response(exc: BaseException) -> dict[str, Any] | None:
    """The parsed error response of a botocore ClientError (duck-typed: botocore is not imported here)."""
    response = getattr(exc, "response", None)
    return response if isinstance(response, dict) else None


def error_code(exc: BaseException) -> str:
    response = _response(exc)
    return str(response.get("Error", {}).get("Code", "")) if response is not None else ""


def classify(exc: BaseException) -> tuple[str, str]:
    """(reason, one-line message) of an exception raised while reading the account.

    The same for every endpoint: what cannot be read here is what the call's error says."""
    response = _response(exc)
    if response is not None:
        code = error_code(exc)
        status = str(response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
        op = getattr(exc, "operation_name", "")
        msg = response.get("Error", {}).get("Message", "") or code
        if code in ACCESS_DENIED_CODES or status == "403":
            return "AccessDenied", f"{op}: access denied ({msg})"
        if code in THROTTLING_CODES:
            return "Throttled", f"{op}: still throttled after retries"
        html_error = status == "500" and "<html" in msg.lower()  # a crash page for an unknown action
        if code in UNSUPPORTED_CODES or status == "501" or "not yet implemented" in msg.lower() or html_error:
            if html_error:
                msg = "the endpoint does not implement this operation"
            return "unsupported", f"{op}: not supported by the endpoint ({msg})"
        return "ReadError", f"{op}: {code} {msg}".strip()
    from botocore.exceptions import (
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ReadTimeoutError,
    )

    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return (
            "NoCredentials",
            "no AWS credentials found (set AWS_PROFILE / --profile, or environment credentials)",
        )
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError):
        return "EndpointUnreachable", f"cannot reach the AWS endpoint ({exc})"
    if isinstance(exc, NoRegionError):
        return "NoCredentials", "no AWS region configured (use --region)"
    if isinstance(exc, Unsupported):
        return "unsupported", str(exc) or "not supported"
    if isinstance(exc, WriteAttempted):
        return "ReadError", str(exc)
    return "ReadError", f"{type(exc).__name__}: {exc}"


def is_not_found(exc: BaseException, *codes: str) -> bool:
    code = error_code(exc)
    return bool(code) and (code in codes or code.endswith(("NotFound", "NotFoundException", "NotFoundFault")))


def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """Every item of a paginated list operation."""
    out: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key, []))
    return out


def tag_dict(tags: list[dict[str, str]] | None) -> dict[str, str]:
    """`[{Key, Value}]` -> dict."""
    return {t["Key"]: t["Value"] for t in tags or []}


@dataclass
class NotChecked:
    """A resource (or, with ``attribute``, one attribute) that could not be read."""

    path: str
    resource_type: str
    physical_id: str | None
    reason: str
    message: str
    attribute: str | None = None


@dataclass
class Candidate:
    """A resource carrying this system's Project/Environment tags, seen while listing (for `unmanaged`)."""

    resource_type: str
    physical_id: str
    tags: dict[str, str]


@dataclass
class Context:
    spec: ArchSpec
    aws: Aws
    desired: Sequence[ResourceState]
    pool: ThreadPoolExecutor
    regions: tuple[str, ...] = ()
    progress: Callable[[str], None] | None = None
    states: list[ResourceState] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Desired-side lookups -------------------------------------------------------------------------------
    def wanted(self, *types: str) -> list[ResourceState]:
        return [s for s in self.desired if s.resource_type in types]

    def path_by_name(self, *types: str) -> dict[str, str]:
        return {s.physical_id: s.path for s in self.wanted(*types)}

    def system_filters(self) -> list[dict[str, Any]]:
        """EC2-style filters selecting this system's Project/Environment tags."""
        return [
            {"Name": "tag:Project", "Values": [self.spec.project]},
            {"Name": "tag:Environment", "Values": [self.spec.environment]},
        ]

    # Results ----------------------------------------------------------------------------------------------
    def add(self, state: ResourceState) -> None:
        with self._lock:
            self.states.append(state)
        if self.progress is not None:
            self.progress(state.path)

    def fail(self, state: ResourceState, exc: BaseException, attribute: str | None = None) -> None:
        reason, message = classify(exc)
        with self._lock:
            self.not_checked.append(
                NotChecked(state.path, state.resource_type, state.physical_id, reason, message, attribute)
            )
        if self.progress is not None and attribute is None:
            self.progress(state.path)

    def candidate(self, resource_type: str, physical_id: str, tags: dict[str, str]) -> None:
        with self._lock:
            self.candidates.append(Candidate(resource_type, physical_id, tags))

    def match_tagged(
        self, cfn_type: str, items: list[dict[str, Any]], id_key: str
    ) -> dict[str, dict[str, Any]]:
        """Spec path -> AWS item, by `archkit:id` tag then `Name` tag; other items are `unmanaged`
        candidates (for kinds without names of their own, such as EC2's)."""
        wanted = self.wanted(cfn_type)
        by_path = {s.path for s in wanted}
        by_name = {s.physical_id: s.path for s in wanted}
        found: dict[str, dict[str, Any]] = {}
        for item in sorted(items, key=lambda i: i[id_key]):
            tags = tag_dict(item.get("Tags"))
            path = tags.get(ID_TAG) if tags.get(ID_TAG) in by_path else by_name.get(tags.get("Name", ""))
            if path is not None and path not in found:
                found[path] = item
            else:
                self.candidate(cfn_type, item[id_key], tags)
        return found

    # Fan-out ----------------------------------------------------------------------------------------------
    def each(self, items: Iterable[T], fn: Callable[[T], R]) -> list[R]:
        """Run ``fn`` over items on the shared bounded pool; exceptions propagate to the caller."""
        futures = [self.pool.submit(fn, item) for item in items]
        return [f.result() for f in futures]

    def each_desired(
        self, states: Iterable[ResourceState], fn: Callable[[ResourceState], ResourceState | None]
    ) -> None:
        """Read each desired resource with ``fn`` (None = not found); a failure marks only that resource."""

        def run(state: ResourceState) -> None:
            try:
                observed = fn(state)
            except Exception as exc:  # any read failure of one resource is reported, never raised
                self.fail(state, exc)
                return
            if observed is not None:
                self.add(observed)
            elif self.progress is not None:
                self.progress(state.path)

        self.each(states, run)


class Unreadable:
    """Collects attribute-level read failures of one resource while its state is being built."""

    def __init__(self) -> None:
        self.reasons: dict[str, str] = {}

    def read(self, attribute: str, call: Callable[[], Any], *not_found: str) -> Any:
        """``call()``; None when the AWS error says "not configured" (one of ``not_found`` or *NotFound*).
        Access errors are remembered for ``attribute`` (reported not_checked) and None is returned."""
        try:
            return call()
        except Exception as exc:
            if _response(exc) is None:
                raise
            if is_not_found(exc, *not_found):
                return None
            reason, message = classify(exc)
            if reason in ("AccessDenied", "unsupported", "Throttled"):
                self.reasons[attribute] = f"{reason}: {message}"
                return None
            raise
