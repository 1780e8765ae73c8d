"""One moto server per test session on 127.0.0.1 (a real HTTP endpoint; boto3 goes through its whole stack).

The `moto_server` fixture is registered once for the whole suite in tests/conftest.py.

moto keeps its state in process-wide backends: two servers started in one pytest process share one account.
So use this one server, and deploy your own variant of the reference spec (``spec_variant("rules")``: its own
names and tags) rather than the reference environment, which tests/verify deploys and expects unchanged.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from archkit.spec import ArchSpec, spec_from_dict
from archkit.verify.emulator import FAKE_CREDENTIALS, reset_server, start_server


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Endpoint URL of a moto server (fake credentials and us-east-1 set in the environment)."""
    saved = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "AWS_DEFAULT_REGION")}
    os.environ.update(FAKE_CREDENTIALS)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    server, endpoint = start_server()
    try:
        yield endpoint
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def reset_moto(endpoint: str) -> None:
    """Empty the server (moto's reset API)."""
    reset_server(endpoint)


REFERENCE = Path(__file__).resolve().parents[1] / "specs" / "reference.yaml"


def spec_variant(environment: str, **changes: Any) -> ArchSpec:
    """The reference spec as another environment (own physical names, tags and domain) in the same account.
    ``changes`` set values by path with ``__`` as separator, e.g. ``network__nat_gateways=1``."""
    doc = copy.deepcopy(yaml.safe_load(REFERENCE.read_text()))
    doc["environment"] = environment
    doc.setdefault("environments", {})[environment] = {}
    doc["edge"]["dns"]["domain_name"] = f"{environment}.example.com"
    for dotted, value in changes.items():
        node = doc
        parts = dotted.split("__")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return spec_from_dict(doc)


OPTIONAL_DB_FUNCTIONS = ("auth", "get_user_id")
OPTIONAL_ALB_TARGETS = {"get_items": ["/api/items", "/api/items/*"], "get_user": ["/api/users"]}


def optional_variant(environment: str, **changes: Any) -> ArchSpec:
    """The reference spec with every optional box of the seed enabled, as another environment: the ALB with
    Lambda targets, the API's VPC link to it (`GET /api/items` goes through it), the bastion host (may reach
    the database) and the RDS database used by two functions. Same shape as tests/cdk/optional_variant.py."""
    settings: dict[str, Any] = {
        "network__alb": {
            "enabled": True,
            "internet_facing": True,
            "security_group": "alb",
            "deletion_protection": True,
            "listener": {"protocol": "HTTPS", "port": 443, "certificate_name": "alb"},
            "targets": OPTIONAL_ALB_TARGETS,
        },
        "network__bastion": {"enabled": True, "security_group": "bastion", "database_access": True},
        "network__security_groups__vpc_link": {"description": "API Gateway VPC link to the load balancer"},
        "api__vpc_link": {"enabled": True, "security_group": "vpc_link"},
        "api__routes__/api/items__GET__integration": "vpc_link",
        "rds__enabled": True,
        **{f"functions__{key}__database": True for key in OPTIONAL_DB_FUNCTIONS},
    }
    return spec_variant(environment, **{**settings, **changes})
