"""Security domain: customer-managed KMS keys (with rotation and alias), the extra IAM roles such as the
backup role, and Secrets Manager secrets with generated values."""

from __future__ import annotations

import json
from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from archkit.cdk.context import BuildContext
from archkit.spec.naming import kms_alias


def _key(scope: Construct, construct_id: str, ctx: BuildContext, key: str) -> kms.Key:
    spec = ctx.spec.security.kms_keys[key]
    return kms.Key(
        scope,
        construct_id,
        description=spec.description,
        enable_key_rotation=spec.rotation,
        alias=kms_alias(ctx.spec, key),
        pending_window=cdk.Duration.days(spec.pending_window_days),
        key_spec=kms.KeySpec.SYMMETRIC_DEFAULT,
        key_usage=kms.KeyUsage.ENCRYPT_DECRYPT,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


class SecurityConstruct(Construct):
    """KMS keys and roles of ``spec.security``; exposes ``keys`` and ``roles`` by spec key."""

    def __init__(self, scope: Construct, construct_id: str, *, ctx: BuildContext) -> None:
        super().__init__(scope, construct_id)
        spec = ctx.spec
        self.keys: dict[str, kms.Key] = {}
        for key in spec.security.kms_keys:
            self.keys[key] = _key(self, f"Key-{key}", ctx, key)
            ctx.own(f"security.kms_keys.{key}", self.keys[key])

        self.roles: dict[str, iam.Role] = {}
        for key, role_spec in spec.security.roles.items():
            role = iam.Role(
                self,
                f"Role-{key}",
                role_name=ctx.name(key),
                description=role_spec.description,
                assumed_by=iam.ServicePrincipal(role_spec.assumed_by),
                max_session_duration=cdk.Duration.hours(1),
            )
            ctx.own(f"security.roles.{key}", role)
            self.roles[key] = role


class ReplicaKeysConstruct(Construct):
    """The copy, in one replica region, of each customer key a global table replicates with.

    Same alias as the primary key, so the table refers to it by alias ARN without a cross-region
    reference.
    """

    def __init__(self, scope: Construct, construct_id: str, *, ctx: BuildContext, keys: list[str]) -> None:
        super().__init__(scope, construct_id)
        self.keys: dict[str, kms.Key] = {}
        for key in keys:
            self.keys[key] = _key(self, f"Key-{key}", ctx, key)
            ctx.own(f"security.kms_keys.{key}", self.keys[key])


class SecretsConstruct(Construct):
    """Secrets Manager secrets of ``spec.secrets`` with generated values, encrypted with their KMS key.

    Exposes ``secrets`` by spec key. Rotation schedules are added by the compute construct, next to
    the rotation function (cdk-nag and CloudFormation both want them in the same stack).
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, ctx: BuildContext, keys: Mapping[str, kms.IKey]
    ) -> None:
        super().__init__(scope, construct_id)
        spec = ctx.spec
        rds_secret = spec.rds.credentials_secret if spec.rds.enabled else None
        self.secrets: dict[str, secretsmanager.Secret] = {}
        for key, secret_spec in spec.secrets.items():
            if key == rds_secret:
                # RDS reads {username, password} JSON from its credentials secret.
                generate = secretsmanager.SecretStringGenerator(
                    secret_string_template=json.dumps({"username": spec.rds.master_username}),
                    generate_string_key="password",
                    password_length=secret_spec.generate_length,
                    exclude_punctuation=True,
                    include_space=False,
                )
            else:
                generate = secretsmanager.SecretStringGenerator(
                    password_length=secret_spec.generate_length, exclude_punctuation=True, include_space=False
                )
            secret = secretsmanager.Secret(
                self,
                f"Secret-{key}",
                secret_name=ctx.name(key, "secrets"),
                description=secret_spec.description,
                encryption_key=keys[secret_spec.kms_key] if secret_spec.kms_key else None,
                generate_secret_string=generate,
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            ctx.own(f"secrets.{key}", secret)
            self.secrets[key] = secret
