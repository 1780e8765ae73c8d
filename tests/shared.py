"""What the whole suite shares: the reference spec's path, its variants, and emulated accounts deployed from
the synthesized templates (``archkit.emulate``), with the fixtures that hold them.

Accounts are costly (a synthesis, then a deploy of ~200 resources), so each is made once per session and
shared; every test that reads one is in the ``ACCOUNTS`` xdist group, so one worker makes them while the
other runs the rest of the suite:

- ``reference_account``: the reference as deployed. Tests read it clean; a test that changes it reverts
  its change (``DeployedAccount.changed``; reverting takes milliseconds, deploying again tens of seconds).
- ``scratch_account``: the reference deployed a second time, for the many changes made at once
  (tests/account_changes.py): nobody expects it clean.
- ``everything_off_account``: the variant with the seed's optional boxes off.

The changes made behind the spec's back come from ``archkit.emulate.changes.CHANGES`` where one fits, and
otherwise from tests/account_changes.py; none is written twice.
"""

from __future__ import annotations

import copy
import datetime
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from archkit.emulate.account import Account
from archkit.emulate.changes import CHANGES
from archkit.spec import ArchSpec, load_spec, spec_from_dict

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "specs" / "reference.yaml"
"""The reference spec: the one path every test module uses."""

TODAY = datetime.date(2025, 6, 1)
"""The date rules are evaluated at in tests, so expiry does not depend on the calendar."""

ACCOUNTS = "accounts"
"""xdist group of every test that reads an emulated account (the accounts are made on one worker)."""

EMULATOR_NOT_CHECKED = {
    ("api", "methods[GET /api/items].integration_target"),
    ("api", "methods[GET /api/items].vpc_link"),
    ("buckets.assets", "intelligent_tiering"),
    ("buckets.logs", "intelligent_tiering"),
    ("cost.anomaly_detection", None),
    ("cost.budgets.monthly", "tags"),
    ("network.security_groups.lambda", "egress[tcp 443 prefix_list dynamodb]"),
    ("network.security_groups.lambda", "egress[tcp 443 prefix_list s3]"),
    ("tables.main", "table_class"),
}
"""(resource, attribute) verify reports not_checked `unsupported` on the reference account: what moto cannot
hold (no Intelligent-Tiering or Cost Explorer anomaly API, prefix-list rule descriptions dropped, a VPC-link
integration's connectionId and integrationTarget, no table class, no budget tags), never passed or failed."""

__all__ = ["ACCOUNTS", "CHANGES", "EMULATOR_NOT_CHECKED", "REFERENCE", "ROOT", "TODAY"]


# --- spec variants -----------------------------------------------------------------------------------------


def reference_doc() -> dict[str, Any]:
    """The reference spec as a fresh document (change it freely)."""
    return copy.deepcopy(_reference_doc())


_CACHE: dict[str, Any] = {}


def _reference_doc() -> dict[str, Any]:
    if "doc" not in _CACHE:
        _CACHE["doc"] = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return _CACHE["doc"]  # type: ignore[no-any-return]


def set_in(doc: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b.0.c`` in a document (list indexes as digits). Keys holding dots use `|` as the separator
    instead: ``api.routes|/api/users|POST``."""
    parts: list[str] = dotted.split("|") if "|" in dotted else dotted.split(".")
    node: Any = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


def spec_variant(environment: str, **changes: Any) -> ArchSpec:
    """The reference as another environment (own physical names, tags and domain). ``changes`` set values by
    path with ``__`` as separator, e.g. ``network__nat_gateways=1``."""
    doc = reference_doc()
    doc["environment"] = environment
    doc.setdefault("environments", {})[environment] = {}
    doc["edge"]["dns"]["domain_name"] = f"{environment}.example.com"
    for dotted, value in changes.items():
        set_in(doc, dotted.replace("__", "|"), value)
    return spec_from_dict(doc)


def everything_off_doc() -> dict[str, Any]:
    """The reference with the seed's optional boxes off: no ALB, VPC link, bastion, RDS or database use."""
    doc = reference_doc()
    net = doc["network"]
    net["alb"] = {"enabled": False, "internet_facing": True, "security_group": "alb"}
    net["bastion"] = {"enabled": False, "instance_type": "t4g.nano", "security_group": "bastion"}
    net["security_groups"].pop("vpc_link", None)
    doc["api"]["vpc_link"] = {"enabled": False}
    for methods in doc["api"]["routes"].values():
        for method in methods.values():
            if isinstance(method, dict) and method.get("integration") == "vpc_link":
                del method["integration"]
    doc["rds"]["enabled"] = False
    for fn in doc["functions"].values():
        fn.pop("database", None)
    doc["compliance"]["nag_suppressions"] = [
        entry
        for entry in doc["compliance"]["nag_suppressions"]
        if entry["rule"] != "AwsSolutions-RDS11" and entry.get("resource") != "rds"
    ]
    return doc


def write_spec(doc: dict[str, Any], directory: Path) -> Path:
    """Write a spec next to a copy of the reference Lambda code (code paths are relative to the spec)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "spec.yaml"
    text = yaml.safe_dump(doc, sort_keys=False)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    lambda_dir = directory / "lambda"
    if not lambda_dir.exists():
        shutil.copytree(REFERENCE.parent / "lambda", lambda_dir, ignore=shutil.ignore_patterns("__pycache__"))
    return path


# --- synthesis, shared by the workers ----------------------------------------------------------------------


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every xdist worker of this session sees (the session's base temp without the worker)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between the xdist workers (POSIX advisory lock on ``path``)."""
    import fcntl

    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def synthesized(tmp_path_factory: pytest.TempPathFactory, name: str, spec_path: Path) -> Path:
    """`archkit generate` of a spec into ``<shared>/<name>`` (the output directory), once per session: the
    first worker synthesizes under a lock, the others find the output up to date (synthesis' own cache)."""
    from archkit.cdk.synth import synthesize

    out = shared_dir(tmp_path_factory) / name
    with file_lock(out.with_name(f"{name}.lock")):
        synthesize(load_spec(spec_path), spec_path, out)
    return out


# --- emulated accounts -------------------------------------------------------------------------------------

RECORDED: set[tuple[str, str]] = set()
"""(service, operation) of every AWS call verify made on an account in this process."""


def _record(model: Any, **_: Any) -> None:
    RECORDED.add((model.service_model.service_name, model.name))


def make_aws(endpoint: str, hooks: list[tuple[str, Callable[..., Any]]] | None = None, **options: Any) -> Any:
    """verify's AWS factory pointed at an emulator, recording every call."""
    from archkit.verify.collect.aws import Aws, AwsOptions

    opts = {"region": "us-east-1", "endpoint_url": endpoint, "calls_per_second": 0, **options}
    return Aws(AwsOptions(**opts), hooks=[("before-call", _record), *(hooks or [])])


@dataclass
class DeployedAccount:
    """A spec's templates deployed into an emulator of their own."""

    spec: ArchSpec
    spec_path: Path
    cdk_out: Path
    endpoint: str
    executor: Any
    """The deployer (``archkit.emulate.deploy.Executor``): what was created, by stack and logical id."""

    @property
    def account(self) -> Account:
        return Account(self.endpoint, self.spec.region)

    @property
    def account_id(self) -> str:
        return str(self.executor.account)

    def client(self, service: str, region: str | None = None) -> Any:
        return self.executor.client(service, region or self.spec.region)

    def resource(self, path: str, resource_type: str, region: str | None = None) -> Any:
        """The deployed resource of a type whose ``archkit:id`` tag is ``path`` (in the spec's region)."""
        region = region or self.spec.region
        found = [r for r in self.executor.of_type(resource_type) if r.region == region]
        matches = [r for r in found if _tagged(r.properties, path)]
        assert len(matches) == 1, f"{len(matches)} {resource_type} tagged {path} in {region}"
        return matches[0]

    def ref(self, path: str, resource_type: str) -> str:
        return str(self.resource(path, resource_type).ref)

    def attr(self, path: str, resource_type: str, name: str) -> str:
        return str(self.resource(path, resource_type).attrs[name])

    @contextmanager
    def changed(self, *names: str) -> Iterator[None]:
        """Catalogue changes made for the duration of the block, then reverted (latest first)."""
        done: list[str] = []
        try:
            for name in names:
                CHANGES[name].apply(self.account, self.spec)
                done.append(name)
            yield
        finally:
            for name in reversed(done):
                CHANGES[name].revert(self.account, self.spec)

    def verify(self, **options: Any) -> Any:
        """verify as a library call (``archkit.verify.run.AccountRun``)."""
        from archkit.verify.run import verify_account

        path = self.spec_path.relative_to(ROOT) if self.spec_path.is_relative_to(ROOT) else self.spec_path
        return verify_account(
            self.spec, path.as_posix(), make_aws(self.endpoint, **{"region": self.spec.region, **options})
        )


def _tagged(props: dict[str, Any], path: str) -> bool:
    from archkit.spec.naming import ID_TAG

    tags = props.get("Tags") or props.get("HostedZoneTags") or props.get("ResourceTags") or []
    if not tags and props.get("Replicas"):
        tags = props["Replicas"][0].get("Tags") or []
    if isinstance(tags, dict):
        return bool(tags.get(ID_TAG) == path)
    return any(t.get("Key") == ID_TAG and t.get("Value") == path for t in tags)


@contextmanager
def emulator_credentials() -> Iterator[None]:
    """The emulator's credentials and region in the environment (verify's boto3 sessions read them)."""
    from archkit.emulate.server import FAKE_CREDENTIALS

    saved = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "AWS_DEFAULT_REGION")}
    os.environ.update(FAKE_CREDENTIALS)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def deployed(spec_path: Path, generated: Path) -> Iterator[DeployedAccount]:
    """The cloud assembly in ``generated/cdk.out`` deployed into a new emulator; stopped afterwards."""
    from archkit.emulate.deploy import deploy_assembly
    from archkit.emulate.server import spawn_server

    server = spawn_server()
    try:
        with emulator_credentials():
            cdk_out = generated / "cdk.out"
            executor = deploy_assembly(cdk_out, server.endpoint)
            yield DeployedAccount(load_spec(spec_path), spec_path, cdk_out, server.endpoint, executor)
    finally:
        server.stop()


# --- fixtures (registered for the whole suite in tests/conftest.py) ------------------------------------


@pytest.fixture(scope="session")
def reference_generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`archkit generate` output of the reference (``cdk.out`` and ``cdk.json``), once per session."""
    return synthesized(tmp_path_factory, "reference-generated", REFERENCE)


@pytest.fixture(scope="session")
def reference_account(reference_generated: Path) -> Iterator[DeployedAccount]:
    """The reference as deployed; tests that change it revert their change."""
    with deployed(REFERENCE, reference_generated) as account:
        yield account


@pytest.fixture(scope="session")
def reference_run(reference_account: DeployedAccount) -> Any:
    """verify's run on the unchanged reference account (with the us-west-2 replica), once."""
    return reference_account.verify(regions=("us-west-2",))


@pytest.fixture(scope="session")
def scratch_account(reference_generated: Path) -> Iterator[DeployedAccount]:
    """The reference deployed again, for changes that are not reverted (tests/account_changes.py)."""
    with deployed(REFERENCE, reference_generated) as account:
        yield account


@pytest.fixture(scope="session")
def everything_off_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = shared_dir(tmp_path_factory) / "everything-off"
    with file_lock(directory.with_name("everything-off.lock")):
        return write_spec(everything_off_doc(), directory)


@pytest.fixture(scope="session")
def everything_off_generated(tmp_path_factory: pytest.TempPathFactory, everything_off_spec: Path) -> Path:
    return synthesized(tmp_path_factory, "everything-off-generated", everything_off_spec)


@pytest.fixture(scope="session")
def everything_off_account(
    everything_off_spec: Path, everything_off_generated: Path
) -> Iterator[DeployedAccount]:
    with deployed(everything_off_spec, everything_off_generated) as account:
        yield account
