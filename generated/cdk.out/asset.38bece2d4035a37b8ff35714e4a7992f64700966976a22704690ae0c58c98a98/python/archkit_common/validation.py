"""Input validation beyond API Gateway's models (defence in depth, seed layer 3)."""

from __future__ import annotations

import re
from typing import Any

from archkit_common.http import HttpError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def require_str(
    body: dict[str, Any], key: str, *, max_length: int = 256, pattern: re.Pattern[str] | None = None
) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HttpError(400, f"'{key}' must be a non-empty string")
    if len(value) > max_length:
        raise HttpError(400, f"'{key}' is longer than {max_length} characters")
    if pattern is not None and not pattern.match(value):
        raise HttpError(400, f"'{key}' is not well formed")
    return value.strip()


def optional_choice(body: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = body.get(key, default)
    if value not in choices:
        raise HttpError(400, f"'{key}' must be one of {', '.join(choices)}")
    return str(value)
