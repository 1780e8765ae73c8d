"""Token authorizer: the bearer token names the tenant (a real system verifies a signed JWT here)."""

from __future__ import annotations

from typing import Any


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    token = (event.get("authorizationToken") or "").removeprefix("Bearer ").strip()
    tenant, _, _signature = token.partition(".")
    effect = "Allow" if tenant else "Deny"
    return {
        "principalId": tenant or "anonymous",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}],
        },
        "context": {"tenant_id": tenant},
    }
