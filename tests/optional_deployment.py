"""The seed's optional boxes deployed into the session's moto server (environment `opt`: ALB with Lambda
targets, the API's VPC link, the bastion host, the RDS database), read by verify once as deployed, then
again after CHANGES were made behind the spec's back.

Shared by tests/verify/test_verify_optional.py (drift: each change found exactly, nothing else) and
tests/rules/test_optional_rules.py (compliance: each rule passes as deployed and fails on its change).
The runs are cached per moto server, so a test process provisions and reads once; both test modules are in
one xdist group so only one worker does it.

Every change touches its own attributes. Where moto cannot make a change the way AWS would, the change
says how it is made instead (a database or instance re-created without encryption, as a restore would).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archkit.spec import ArchSpec
from archkit.verify.collect.aws import Aws, AwsOptions
from archkit.verify.emulator import Deployment, provision
from archkit.verify.run import AccountRun, verify_account
from http_proxy import with_capabilities
from moto_fixtures import optional_variant

ENV = "opt"
XDIST_GROUP = "optional-elements"

Expected = tuple[str, str, str | None, Any, Any]
"""A drift finding: (change, resource, attribute, expected, actual)."""

RECORDED: set[tuple[str, str]] = set()
"""(service, operation) of every AWS call the two verify runs made."""


def _record(model: Any, **_: Any) -> None:
    RECORDED.add((model.service_model.service_name, model.name))


def name(key: str) -> str:
    return f"shop-{ENV}-{key.replace('_', '-')}"


@dataclass(frozen=True)
class Change:
    id: str
    apply: Callable[[Deployment, ArchSpec], None]
    drift: tuple[Expected, ...]
    rule: tuple[str, str, str | None] | None = None
    """(rule id, resource, attribute) that fails because of the change, if a rule covers it."""


# --- the database ------------------------------------------------------------------------------------------


def _db(d: Deployment) -> dict[str, Any]:
    return dict(d.client("rds").describe_db_instances(DBInstanceIdentifier=name("db"))["DBInstances"][0])


def _db_recreated_unencrypted(d: Deployment, spec: ArchSpec) -> None:
    """Storage encryption cannot be switched off in place: delete the instance and create it again with
    everything else as it was (what restoring an unencrypted snapshot would give)."""
    rds = d.client("rds")
    db = _db(d)
    rds.modify_db_instance(DBInstanceIdentifier=name("db"), DeletionProtection=False, ApplyImmediately=True)
    rds.delete_db_instance(DBInstanceIdentifier=name("db"), SkipFinalSnapshot=True)
    rds.create_db_instance(
        DBInstanceIdentifier=db["DBInstanceIdentifier"],
        Engine=db["Engine"],
        EngineVersion=db["EngineVersion"],
        DBInstanceClass=db["DBInstanceClass"],
        AllocatedStorage=db["AllocatedStorage"],
        StorageType=db["StorageType"],
        MultiAZ=db["MultiAZ"],
        Port=db["Endpoint"]["Port"],
        DBName=db["DBName"],
        MasterUsername=db["MasterUsername"],
        MasterUserPassword="restored-by-the-test",
        StorageEncrypted=False,
        DBSubnetGroupName=db["DBSubnetGroup"]["DBSubnetGroupName"],
        VpcSecurityGroupIds=[g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]],
        BackupRetentionPeriod=db["BackupRetentionPeriod"],
        DeletionProtection=True,
        EnableIAMDatabaseAuthentication=db["IAMDatabaseAuthenticationEnabled"],
        PubliclyAccessible=db["PubliclyAccessible"],
        EnableCloudwatchLogsExports=db["EnabledCloudwatchLogsExports"],
        AutoMinorVersionUpgrade=db["AutoMinorVersionUpgrade"],
        CopyTagsToSnapshot=db["CopyTagsToSnapshot"],
        Tags=db["TagList"],
    )


def _db_modified(**changes: Any) -> Callable[[Deployment, ArchSpec], None]:
    def apply(d: Deployment, spec: ArchSpec) -> None:
        d.client("rds").modify_db_instance(DBInstanceIdentifier=name("db"), ApplyImmediately=True, **changes)

    return apply


# --- the load balancer -------------------------------------------------------------------------------------


def _alb_attribute(key: str, value: str) -> Callable[[Deployment, ArchSpec], None]:
    def apply(d: Deployment, spec: ArchSpec) -> None:
        d.client("elbv2").modify_load_balancer_attributes(
            LoadBalancerArn=d.arns["network.alb"], Attributes=[{"Key": key, "Value": value}]
        )

    return apply


def _listener_removed(d: Deployment, spec: ArchSpec) -> None:
    d.client("elbv2").delete_listener(ListenerArn=d.arns["network.alb.listener"])


def _http_listener_added(d: Deployment, spec: ArchSpec) -> None:
    d.client("elbv2").create_listener(
        LoadBalancerArn=d.arns["network.alb"],
        Port=80,
        Protocol="HTTP",
        DefaultActions=[{"Type": "forward", "TargetGroupArn": d.arns["network.alb.targets.get_user"]}],
    )


def _target_removed(d: Deployment, spec: ArchSpec) -> None:
    d.client("elbv2").deregister_targets(
        TargetGroupArn=d.arns["network.alb.targets.get_user"], Targets=[{"Id": d.arns["functions.get_user"]}]
    )


# --- the bastion host --------------------------------------------------------------------------------------


def _bastion_id(d: Deployment) -> str:
    reservations = d.client("ec2").describe_instances(
        Filters=[
            {"Name": "tag:Name", "Values": [name("bastion")]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )["Reservations"]
    return str(reservations[0]["Instances"][0]["InstanceId"])


def _bastion_recreated_unencrypted(d: Deployment, spec: ArchSpec) -> None:
    """A volume cannot be decrypted in place: replace the host by one whose root volume is not encrypted,
    everything else as it was."""
    ec2 = d.client("ec2")
    old = ec2.describe_instances(InstanceIds=[_bastion_id(d)])["Reservations"][0]["Instances"][0]
    ec2.modify_instance_attribute(InstanceId=old["InstanceId"], DisableApiTermination={"Value": False})
    ec2.terminate_instances(InstanceIds=[old["InstanceId"]])
    nic = old["NetworkInterfaces"][0]
    new = ec2.run_instances(
        ImageId=old["ImageId"],
        MinCount=1,
        MaxCount=1,
        InstanceType=old["InstanceType"],
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": old["SubnetId"],
                "Groups": [g["GroupId"] for g in nic["Groups"]],
                "AssociatePublicIpAddress": True,
            }
        ],
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1},
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp3", "Encrypted": False}}
        ],
        Monitoring={"Enabled": True},
        EbsOptimized=True,
        IamInstanceProfile={"Arn": old["IamInstanceProfile"]["Arn"]},
        TagSpecifications=[{"ResourceType": "instance", "Tags": old["Tags"]}],
    )["Instances"][0]
    ec2.modify_instance_attribute(InstanceId=new["InstanceId"], DisableApiTermination={"Value": True})


def _imdsv1_allowed(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").modify_instance_metadata_options(InstanceId=_bastion_id(d), HttpTokens="optional")


def _instance_type(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").modify_instance_attribute(InstanceId=_bastion_id(d), InstanceType={"Value": "t4g.small"})


def _ssh_opened(d: Deployment, spec: ArchSpec) -> None:
    d.client("ec2").authorize_security_group_ingress(
        GroupId=d.ids["network.security_groups.bastion"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )


# --- the VPC link and the functions using the database ------------------------------------------------------


def _vpc_link_deleted(d: Deployment, spec: ArchSpec) -> None:
    d.client("apigatewayv2").delete_vpc_link(VpcLinkId=d.ids["api.vpc_link"])


def _db_host_changed(d: Deployment, spec: ArchSpec) -> None:
    lam = d.client("lambda")
    env = lam.get_function_configuration(FunctionName=name("auth"))["Environment"]["Variables"]
    lam.update_function_configuration(
        FunctionName=name("auth"), Environment={"Variables": {**env, "DB_HOST": "db.internal.example.com"}}
    )


CHANGES: tuple[Change, ...] = (
    # Re-creations first: the changes below act on the new instances.
    Change(
        "db-unencrypted",
        _db_recreated_unencrypted,
        (
            ("changed", "rds", "storage_encrypted", True, False),
            ("changed", "rds", "kms_key", "security.kms_keys.data", None),
        ),
        ("ARCH-RDS-001", "rds", "storage_encrypted"),
    ),
    Change(
        "bastion-ebs-unencrypted",
        _bastion_recreated_unencrypted,
        (("changed", "network.bastion", "ebs_encrypted", True, False),),
        ("ARCH-EC2-002", "network.bastion", "ebs_encrypted"),
    ),
    Change(
        "db-public",
        _db_modified(PubliclyAccessible=True),
        (("changed", "rds", "publicly_accessible", False, True),),
        ("ARCH-RDS-002", "rds", "publicly_accessible"),
    ),
    Change(
        "db-backup-retention",
        _db_modified(BackupRetentionPeriod=3),
        (("changed", "rds", "backup_retention_days", 7, 3),),
        ("ARCH-RDS-003", "rds", "backup_retention_days"),
    ),
    Change(
        "db-deletion-protection-off",
        _db_modified(DeletionProtection=False),
        (("changed", "rds", "deletion_protection", True, False),),
        ("ARCH-RDS-004", "rds", "deletion_protection"),
    ),
    Change(
        "db-multi-az-off",
        _db_modified(MultiAZ=False),
        (("changed", "rds", "multi_az", True, False),),
        ("ARCH-RDS-005", "rds", "multi_az"),
    ),
    Change(
        "db-iam-auth-off",
        _db_modified(EnableIAMDatabaseAuthentication=False),
        (("changed", "rds", "iam_authentication", True, False),),
        ("ARCH-RDS-006", "rds", "iam_authentication"),
    ),
    Change(
        "alb-invalid-headers-kept",
        _alb_attribute("routing.http.drop_invalid_header_fields.enabled", "false"),
        (("changed", "network.alb", "drop_invalid_headers", True, False),),
        ("ARCH-ELB-001", "network.alb", "drop_invalid_headers"),
    ),
    Change(
        "alb-access-logs-off",
        _alb_attribute("access_logs.s3.enabled", "false"),
        (("changed", "network.alb", "access_logs", True, False),),
        ("ARCH-ELB-003", "network.alb", "access_logs"),
    ),
    Change(
        "listener-removed",
        _listener_removed,
        (("missing", "network.alb.listener", None, "shop-opt-alb:443", None),),
    ),
    Change(
        "http-listener-added",
        _http_listener_added,
        (("changed", "network.alb", "extra_listeners", [], ["HTTP:80"]),),
        ("ARCH-ELB-002", "network.alb", "extra_listeners"),
    ),
    Change(
        "target-removed",
        _target_removed,
        (("changed", "network.alb.targets.get_user", "targets", ["functions.get_user"], []),),
    ),
    Change(
        "imdsv1-allowed",
        _imdsv1_allowed,
        (("changed", "network.bastion", "imdsv2_required", True, False),),
        ("ARCH-EC2-001", "network.bastion", "imdsv2_required"),
    ),
    Change(
        "instance-type",
        _instance_type,
        (("changed", "network.bastion", "instance_type", "t4g.nano", "t4g.small"),),
    ),
    Change(
        "bastion-ssh-opened",
        _ssh_opened,
        (("changed", "network.security_groups.bastion", "ingress[tcp 22 cidr 0.0.0.0/0]", None, ""),),
        ("ARCH-SG-001", "network.security_groups.bastion", "ingress"),
    ),
    Change(
        "vpc-link-deleted",
        _vpc_link_deleted,
        (("missing", "api.vpc_link", None, "shop-opt-vpc-link", None),),
    ),
    Change(
        "db-host-changed",
        _db_host_changed,
        (("changed", "functions.auth", "environment.DB_HOST", "${rds.address}", "db.internal.example.com"),),
    ),
)


@dataclass
class OptionalRuns:
    spec: ArchSpec
    deployment: Deployment
    clean: AccountRun
    changed: AccountRun
    provision_seconds: float = 0.0
    applied: list[str] = field(default_factory=list)


_RUNS: dict[str, OptionalRuns] = {}


def run_verify(spec: ArchSpec, endpoint: str) -> AccountRun:
    aws = Aws(
        AwsOptions(region=spec.region, endpoint_url=with_capabilities(endpoint), calls_per_second=0),
        hooks=[("before-call", _record)],
    )
    return verify_account(spec, "specs/reference.yaml", aws)


def optional_runs(endpoint: str) -> OptionalRuns:
    """Provision the `opt` variant, verify it, make every change of CHANGES, verify again (once per
    server)."""
    if endpoint not in _RUNS:
        import time

        spec = optional_variant(ENV)
        start = time.monotonic()
        deployment = provision(spec, endpoint)
        seconds = time.monotonic() - start
        clean = run_verify(spec, endpoint)
        for change in CHANGES:
            change.apply(deployment, spec)
        changed = run_verify(spec, endpoint)
        _RUNS[endpoint] = OptionalRuns(spec, deployment, clean, changed, seconds, [c.id for c in CHANGES])
    return _RUNS[endpoint]


def finding_key(change: str | None, resource: str, attribute: str | None, expected: Any, actual: Any) -> str:
    return json.dumps([change, resource, attribute, expected, actual], sort_keys=True)


def drift_keys(run: AccountRun) -> set[str]:
    return {
        finding_key(f.change, f.resource, f.attribute, f.expected, f.actual)
        for f in run.report.findings
        if f.kind == "drift"
    }
