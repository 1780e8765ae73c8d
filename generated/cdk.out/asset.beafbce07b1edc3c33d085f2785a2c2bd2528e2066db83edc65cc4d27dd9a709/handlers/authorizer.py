"""TOKEN authorizer: validates `Authorization: Bearer <JWT>` (HS256, secret fetched by ARN)."""

from __future__ import annotations

from typing import Any

from archkit_common.logging import log
from data import secrets
from logic import tokens

JWT_SECRET = "JWT_SECRET_SECRET_ARN"


def _policy(
    principal: str, effect: str, method_arn: str, context: dict[str, str] | None = None
) -> dict[str, Any]:
    # Allow the whole stage: the result is cached (result_ttl_seconds) across methods.
    arn_parts = method_arn.split("/")
    resource = "/".join(arn_parts[:2]) + "/*" if len(arn_parts) >= 2 else method_arn
    doc = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
    if context:
        doc["context"] = context
    return doc


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    header = str(event.get("authorizationToken", ""))
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Exception("Unauthorized")  # API Gateway answers 401 for exactly this message
    try:
        claims = tokens.decode(token, secrets.secret_value(JWT_SECRET), expected_type="access")
    except tokens.InvalidToken as exc:
        log("token rejected", reason=str(exc))
        raise Exception("Unauthorized") from None
    user = str(claims["sub"])
    return _policy(user, "Allow", str(event.get("methodArn", "*")), {"user_id": user})
