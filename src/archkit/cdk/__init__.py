"""Spec → CDK: one construct per spec domain, assembled into network / data / application / edge /
cost stacks (:func:`build_app`), plus deterministic synthesis for ``archkit generate``.

Importing ``archkit.cdk`` is cheap; ``aws_cdk`` loads on first use of a construct or :func:`build_app`.
"""

from __future__ import annotations

import importlib
from typing import Any

from archkit.cdk.errors import CdkBuildError, CdkBuildErrors

_LAZY = {
    "build_app": "archkit.cdk.app",
    "build": "archkit.cdk.app",
    "BuildContext": "archkit.cdk.context",
    "NetworkConstruct": "archkit.cdk.network",
    "SecurityConstruct": "archkit.cdk.security",
    "SecretsConstruct": "archkit.cdk.security",
    "DataConstruct": "archkit.cdk.data",
    "BucketsConstruct": "archkit.cdk.data",
    "DatabaseConstruct": "archkit.cdk.data",
    "ExecutionRolesConstruct": "archkit.cdk.compute",
    "ComputeConstruct": "archkit.cdk.compute",
    "ApiConstruct": "archkit.cdk.api",
    "EdgeConstruct": "archkit.cdk.edge",
    "EdgeGlobalConstruct": "archkit.cdk.edge",
    "CostConstruct": "archkit.cdk.cost",
    "synthesize": "archkit.cdk.synth",
}

__all__ = ["CdkBuildError", "CdkBuildErrors", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'archkit.cdk' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
