"""JWT (HS256) issue and validation with the standard library only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

ACCESS_TTL = 900
REFRESH_TTL = 7 * 24 * 3600


class InvalidToken(Exception):
    """The token is malformed, badly signed, of the wrong type or expired."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict[str, Any], secret: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def decode(
    token: str, secret: str, *, expected_type: str = "access", now: float | None = None
) -> dict[str, Any]:
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = json.loads(_unb64(header_b64))
        claims = json.loads(_unb64(payload_b64))
        signature = _unb64(signature_b64)
    except ValueError:
        raise InvalidToken("malformed token") from None
    if header.get("alg") != "HS256":
        raise InvalidToken("unsupported algorithm")
    expected = hmac.new(secret.encode(), f"{header_b64}.{payload_b64}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise InvalidToken("bad signature")
    if claims.get("typ") != expected_type:
        raise InvalidToken(f"not an {expected_type} token")
    if float(claims.get("exp", 0)) <= (time.time() if now is None else now):
        raise InvalidToken("expired")
    return dict(claims)


def issue(user_id: str, secret: str, *, now: float | None = None) -> dict[str, Any]:
    issued = int(time.time() if now is None else now)
    access = encode({"sub": user_id, "typ": "access", "iat": issued, "exp": issued + ACCESS_TTL}, secret)
    refresh = encode({"sub": user_id, "typ": "refresh", "iat": issued, "exp": issued + REFRESH_TTL}, secret)
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL,
    }
