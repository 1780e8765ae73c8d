"""The reference spec with every optional element of the seed enabled: ALB with Lambda targets, the API's
VPC link to it, the bastion host and the RDS database used by two functions."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

from .cdk_helpers import REFERENCE_SPEC

DB_FUNCTIONS = ("auth", "get_user_id")
ALB_TARGETS = {"get_items": ["/api/items", "/api/items/*"], "get_user": ["/api/users"]}


def optional_elements_doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(REFERENCE_SPEC.read_text())
    net = doc["network"]
    net["alb"] = {
        "enabled": True,
        "internet_facing": True,
        "security_group": "alb",
        "deletion_protection": True,
        "listener": {"protocol": "HTTPS", "port": 443, "certificate_name": "alb"},
        "targets": copy.deepcopy(ALB_TARGETS),
    }
    net["bastion"] = {"enabled": True, "security_group": "bastion", "database_access": True}
    net["security_groups"]["vpc_link"] = {"description": "API Gateway VPC link to the load balancer"}
    doc["api"]["vpc_link"] = {"enabled": True, "security_group": "vpc_link"}
    doc["api"]["routes"]["/api/items"]["GET"]["integration"] = "vpc_link"
    doc["rds"]["enabled"] = True
    doc["rds"]["engine_version"] = "16.10"  # the reference's 16.4 is no longer offered for new instances
    for key in DB_FUNCTIONS:
        doc["functions"][key]["database"] = True
    # The reference itself enables these elements; keep the variant valid on its own should that change.
    suppressions = doc["compliance"]["nag_suppressions"]
    for entry in suppressions:
        if entry.get("applies_to") == ["Resource::*"] and "bastion" not in entry["reason"]:
            entry["reason"] += " The bastion host's Session Manager channels need the same."
    if not any(entry["rule"] == "AwsSolutions-RDS11" for entry in suppressions):
        suppressions.append(
            {
                "rule": "AwsSolutions-RDS11",
                "resource": "rds",
                "reason": "The database listens on the PostgreSQL port its clients' drivers expect.",
            }
        )
    return doc


def optional_elements_disabled_doc() -> dict[str, Any]:
    """The reference with the seed's optional boxes off: no ALB, VPC link, bastion, RDS or database use."""
    doc: dict[str, Any] = yaml.safe_load(REFERENCE_SPEC.read_text())
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
        entry for entry in doc["compliance"]["nag_suppressions"] if entry["rule"] != "AwsSolutions-RDS11"
    ]
    return doc


def write_spec(doc: dict[str, Any], directory: Path) -> Path:
    """Write a spec next to a copy of the reference Lambda code (code paths are relative to the spec)."""
    path = directory / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    lambda_dir = directory / "lambda"
    if not lambda_dir.exists():
        shutil.copytree(
            REFERENCE_SPEC.parent / "lambda", lambda_dir, ignore=shutil.ignore_patterns("__pycache__")
        )
    return path
