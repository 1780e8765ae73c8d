"""Changes made behind the spec's back to an emulated account (`archkit emulate --change NAME`): each one is
what someone with console access might do, and each gives verify one real finding to report.

Every change acts on a resource found by its physical name (``spec.name_of``), so it works on any account
deployed from the spec, and each has its undo (tests revert a change instead of deploying again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archkit.emulate.account import Account
from archkit.spec import ArchSpec


class ChangeNotApplicable(ValueError):
    """The spec has nothing the change could act on (e.g. `rds-public` without `rds.enabled`)."""


Action = Callable[[Account, ArchSpec], None]


@dataclass(frozen=True)
class Change:
    name: str
    description: str
    apply: Action
    revert: Action


def _first(keys: Any, what: str) -> str:
    for key in keys:
        return str(key)
    raise ChangeNotApplicable(f"the spec has no {what}")


# --- DynamoDB ----------------------------------------------------------------------------------------------


def _pitr(enabled: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        a.client("dynamodb").update_continuous_backups(
            TableName=spec.name_of(_first(spec.tables, "table")),
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled},
        )

    return run


def _table_owner_tag(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        ddb = a.client("dynamodb")
        arn = ddb.describe_table(TableName=spec.name_of(_first(spec.tables, "table")))["Table"]["TableArn"]
        if present:
            ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "Owner", "Value": spec.owner}])
        else:
            ddb.untag_resource(ResourceArn=arn, TagKeys=["Owner"])

    return run


# --- Lambda ------------------------------------------------------------------------------------------------


def _memory(factor: int) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.functions, "function")
        a.client("lambda").update_function_configuration(
            FunctionName=spec.name_of(key), MemorySize=spec.functions[key].memory * factor
        )

    return run


def _log_retention(days: int | None) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.functions, "function")
        group = f"/aws/lambda/{spec.name_of(key)}"
        a.client("logs").put_retention_policy(
            logGroupName=group, retentionInDays=days or spec.functions[key].log_retention_days
        )

    return run


# --- S3 ----------------------------------------------------------------------------------------------------

_BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _public_access_block(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        bucket = spec.name_of(_first(spec.buckets, "bucket"))
        if present:
            a.client("s3").put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=_BLOCK_ALL)
        else:
            a.client("s3").delete_public_access_block(Bucket=bucket)

    return run


def _versioning(status: str) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        a.client("s3").put_bucket_versioning(
            Bucket=spec.name_of(_first(spec.buckets, "bucket")), VersioningConfiguration={"Status": status}
        )

    return run


# --- Secrets Manager, KMS ----------------------------------------------------------------------------------


def _rotated_secret(spec: ArchSpec) -> str:
    return _first((k for k, s in spec.secrets.items() if s.rotation), "secret with rotation")


def _rotation_off(a: Account, spec: ArchSpec) -> None:
    a.client("secretsmanager").cancel_rotate_secret(SecretId=spec.name_of(_rotated_secret(spec)))


def _rotation_on(a: Account, spec: ArchSpec) -> None:
    key = _rotated_secret(spec)
    rotation = spec.secrets[key].rotation
    assert rotation is not None
    sm = a.client("secretsmanager")
    function = a.client("lambda").get_function(FunctionName=spec.name_of(rotation.function))
    sm.rotate_secret(
        SecretId=spec.name_of(key),
        RotationLambdaARN=function["Configuration"]["FunctionArn"],
        RotationRules={"AutomaticallyAfterDays": rotation.days},
        RotateImmediately=False,
    )


def _kms_rotation(enabled: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        from archkit.spec.naming import kms_alias

        kms = a.client("kms")
        alias = kms_alias(spec, _first(spec.security.kms_keys, "KMS key"))
        key_id = kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"]
        (kms.enable_key_rotation if enabled else kms.disable_key_rotation)(KeyId=key_id)

    return run


# --- EC2 ---------------------------------------------------------------------------------------------------

SSH_FROM_ANYWHERE = {
    "IpProtocol": "tcp",
    "FromPort": 22,
    "ToPort": 22,
    "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "debug"}],
}


def _ssh(opened: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        key = _first(spec.network.security_groups, "security group")
        ec2 = a.client("ec2")
        groups = ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": [spec.name_of(key)]}]
        )["SecurityGroups"]
        if not groups:
            raise ChangeNotApplicable(f"no security group {spec.name_of(key)} in the account")
        call = ec2.authorize_security_group_ingress if opened else ec2.revoke_security_group_ingress
        call(GroupId=groups[0]["GroupId"], IpPermissions=[SSH_FROM_ANYWHERE])

    return run


# --- RDS ---------------------------------------------------------------------------------------------------


def _rds_public(public: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        if not spec.rds.enabled:
            raise ChangeNotApplicable("the spec has no database (rds.enabled is false)")
        a.client("rds").modify_db_instance(
            DBInstanceIdentifier=spec.name_of("db"), PubliclyAccessible=public, ApplyImmediately=True
        )

    return run


# --- WAF, API domain ---------------------------------------------------------------------------------------


def _custom_rule(spec: ArchSpec, statement: str | None = None) -> tuple[Any, Any]:
    """The web ACL (regional first) and its first custom rule that blocks (and has ``statement``)."""
    from archkit.spec.waf import web_acls

    for acl in sorted(web_acls(spec), key=lambda a: a.scope != "REGIONAL"):
        for rule in acl.waf.rules if acl.waf is not None else []:
            if rule.action == "block" and (statement is None or rule.statement() == statement):
                return acl, rule
    raise ChangeNotApplicable(
        f"the spec has no blocking custom WAF rule{f' of {statement}' if statement else ''}"
    )


def _edit_rule(statement: str | None, edit: Callable[[dict[str, Any], Any], None]) -> Action:
    """Rewrite one custom rule of a deployed web ACL in place (``edit(rule, spec rule)``)."""

    def run(a: Account, spec: ArchSpec) -> None:
        from archkit.spec.conventions import GLOBAL_REGION

        acl, wanted = _custom_rule(spec, statement)
        waf = a.client("wafv2", GLOBAL_REGION if acl.scope == "CLOUDFRONT" else spec.region)
        name = spec.name_of(acl.key)
        summary = next(
            x for x in waf.list_web_acls(Scope=acl.scope, Limit=100)["WebACLs"] if x["Name"] == name
        )
        got = waf.get_web_acl(Name=name, Scope=acl.scope, Id=summary["Id"])
        web_acl = got["WebACL"]
        rules = web_acl["Rules"]
        edit(next(r for r in rules if r["Name"] == wanted.name), wanted)
        waf.update_web_acl(
            Name=name,
            Scope=acl.scope,
            Id=summary["Id"],
            DefaultAction=web_acl["DefaultAction"],
            VisibilityConfig=web_acl["VisibilityConfig"],
            Rules=rules,
            LockToken=got["LockToken"],
        )

    return run


def _rule_action(action: str | None) -> Callable[[dict[str, Any], Any], None]:
    def edit(rule: dict[str, Any], wanted: Any) -> None:
        rule["Action"] = {(action or wanted.action).capitalize(): {}}

    return edit


def _rate_limit(factor: int) -> Callable[[dict[str, Any], Any], None]:
    def edit(rule: dict[str, Any], wanted: Any) -> None:
        rule["Statement"]["RateBasedStatement"]["Limit"] = wanted.rate_limit.limit * factor

    return edit


def _base_path(present: bool) -> Action:
    def run(a: Account, spec: ArchSpec) -> None:
        domain = spec.api.domain
        if domain is None or not spec.api.routes:
            raise ChangeNotApplicable("the spec has no API custom domain (api.domain)")
        gw = a.client("apigateway", spec.region)
        base = domain.base_paths[0] or "(none)"
        if not present:
            gw.delete_base_path_mapping(domainName=domain.domain_name, basePath=base)
            return
        api = next(x for x in gw.get_rest_apis(limit=500)["items"] if x["name"] == spec.name_of("api"))
        kwargs = {"basePath": base} if domain.base_paths[0] else {}
        gw.create_base_path_mapping(
            domainName=domain.domain_name, restApiId=api["id"], stage=spec.api.stage, **kwargs
        )

    return run


CHANGES: dict[str, Change] = {
    c.name: c
    for c in (
        Change(
            "pitr-off",
            "point-in-time recovery of the first table turned off",
            _pitr(False),
            _pitr(True),
        ),
        Change(
            "tag-removed",
            "the Owner cost-allocation tag removed from the first table",
            _table_owner_tag(False),
            _table_owner_tag(True),
        ),
        Change("memory", "the first function's memory doubled", _memory(2), _memory(1)),
        Change(
            "log-retention",
            "the first function's log retention cut to 7 days",
            _log_retention(7),
            _log_retention(None),
        ),
        Change(
            "public-access-block",
            "the first bucket's public access block deleted",
            _public_access_block(False),
            _public_access_block(True),
        ),
        Change(
            "versioning-suspended",
            "versioning of the first bucket suspended",
            _versioning("Suspended"),
            _versioning("Enabled"),
        ),
        Change(
            "rotation-off",
            "rotation of the first rotated secret cancelled",
            _rotation_off,
            _rotation_on,
        ),
        Change(
            "kms-rotation-off",
            "key rotation of the first KMS key turned off",
            _kms_rotation(False),
            _kms_rotation(True),
        ),
        Change(
            "ssh-opened",
            "SSH from anywhere (0.0.0.0/0) allowed into the first security group",
            _ssh(True),
            _ssh(False),
        ),
        Change(
            "rds-public",
            "the database made publicly accessible",
            _rds_public(True),
            _rds_public(False),
        ),
        Change(
            "waf-rule-counts",
            "the first blocking custom WAF rule (the stage's web ACL first) switched to count only",
            _edit_rule(None, _rule_action("count")),
            _edit_rule(None, _rule_action(None)),
        ),
        Change(
            "waf-rate-raised",
            "the limit of the first custom WAF rate rule raised tenfold",
            _edit_rule("rate_limit", _rate_limit(10)),
            _edit_rule("rate_limit", _rate_limit(1)),
        ),
        Change(
            "base-path-removed",
            "the first base path mapping of the API's custom domain deleted",
            _base_path(False),
            _base_path(True),
        ),
    )
}
"""Name -> change made behind the spec's back (`archkit emulate --change list` prints them)."""
