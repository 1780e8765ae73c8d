"""The reference system's Lambda code runs: JWT issue/validate, the authorizer, the stream consumer.

Runs in a subprocess with the code and layer directories on the path, as Lambda lays them out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from .cdk_helpers import REFERENCE_SPEC

LAMBDA = REFERENCE_SPEC.parent / "lambda"

SCRIPT = textwrap.dedent(
    """
    import json, time
    from data import secrets
    secrets.secret_value = lambda env_var: "s3cr3t-for-tests"   # the secret normally fetched by ARN
    from logic import tokens
    from logic.passwords import hash_password, verify_password
    from handlers import authorizer, stream

    issued = tokens.issue("user-1", "s3cr3t-for-tests", now=1000)
    claims = tokens.decode(issued["access_token"], "s3cr3t-for-tests", now=1001)
    results = {"sub": claims["sub"], "exp": claims["exp"]}
    for bad, kwargs in ((issued["refresh_token"], {}), (issued["access_token"] + "x", {})):
        try:
            tokens.decode(bad, "s3cr3t-for-tests", now=1001, **kwargs)
        except tokens.InvalidToken as exc:
            results.setdefault("rejected", []).append(str(exc))
    fresh = tokens.issue("user-2", "s3cr3t-for-tests")
    arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/v1/GET/api/users"
    policy = authorizer.handler({"authorizationToken": "Bearer " + fresh["access_token"], "methodArn": arn})
    results["policy"] = policy
    try:
        authorizer.handler({"authorizationToken": "Bearer nope", "methodArn": arn})
    except Exception as exc:
        results["unauthorized"] = str(exc)
    stored = hash_password("pw")
    results["password"] = [verify_password("pw", stored), verify_password("no", stored)]
    results["stream"] = stream.handler({"Records": [
        {"eventName": "INSERT", "dynamodb": {"Keys": {"user_id": {"S": "u"}, "item_id": {"S": "i"}},
                                             "NewImage": {"email": {"S": "a@b.c"}}, "SequenceNumber": "1"}},
        {"eventName": "MODIFY", "dynamodb": {"SequenceNumber": "2"}},
    ]})
    print("RESULT " + json.dumps(results, sort_keys=True))
    """
)


def test_handlers_logic_and_layers_work_together():
    path = os.pathsep.join(
        [
            str(LAMBDA / "app"),
            *(str(LAMBDA / "layers" / name / "python") for name in ("common", "aws_sdk", "db_drivers")),
        ]
    )
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "ENVIRONMENT": "test",
        "JWT_SECRET_SECRET_ARN": "arn:aws:secretsmanager:x",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    out = json.loads(line[len("RESULT ") :])
    assert out["sub"] == "user-1" and out["exp"] == 1900
    assert out["rejected"] == ["not an access token", "bad signature"]
    assert out["policy"]["principalId"] == "user-2"
    statement = out["policy"]["policyDocument"]["Statement"][0]
    assert statement == {
        "Action": "execute-api:Invoke",
        "Effect": "Allow",
        "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/v1/*",
    }
    assert out["unauthorized"] == "Unauthorized"
    assert out["password"] == [True, False]
    assert out["stream"] == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert '"email": "***"' in result.stdout  # masked in the audit log
