"""Structured JSON logs with the spec's masked attributes (security.data.data_masking) redacted."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

MASKED = frozenset({"email", "password", "refresh_token", "token", "authorization"})


def mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "***" if k.lower() in MASKED else mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def log(message: str, **fields: Any) -> None:
    record = {"ts": round(time.time(), 3), "message": message, **mask(fields)}
    print(json.dumps(record, sort_keys=True, default=str), file=sys.stdout)
