"""EC2 instances (the bastion host): found by the system's tags, then by `archkit:id` / `Name` tag."""

from __future__ import annotations

import functools
from typing import ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.spec.naming import (
    physical_name,
)
from archkit.verify.kinds.base import (
    Kind,
    group_paths,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    Unreadable,
    paginate,
    tag_dict,
)
from archkit.verify.state import ResourceState, SortedSet


class InstanceState(ResourceState):
    """An EC2 instance (the bastion host)."""

    kind: ClassVar[str] = "instance"
    instance_type: str
    subnet: str = Field(description="Spec path of the subnet it runs in.")
    security_groups: SortedSet = Field(description="Spec paths of its security groups.")
    public_ip: bool = Field(description="Has a public IPv4 address.")
    imdsv2_required: bool = Field(description="Instance metadata only with session tokens (IMDSv2).")
    metadata_hop_limit: int
    ebs_encrypted: bool = Field(description="Every attached EBS volume is encrypted.")
    root_volume_size_gb: int | None
    root_volume_type: str | None
    role: str | None = Field(description="Name of the IAM role behind the instance profile.")
    monitoring: bool = Field(description="Detailed (1-minute) CloudWatch monitoring.")
    termination_protection: bool


def bastion_role_name(spec: ArchSpec) -> str:
    """Name of the bastion's role (the one behind its instance profile)."""
    return f"{physical_name(spec, 'bastion')}-role"


def _bastion(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    bastion = spec.network.bastion
    return [
        InstanceState(
            **identity(spec, res, InstanceState),
            instance_type=bastion.instance_type,
            subnet=f"network.{bastion.subnet}_subnets.0",
            security_groups=group_paths(bastion.security_group),
            public_ip=bastion.public_ip,
            imdsv2_required=True,
            metadata_hop_limit=1,
            ebs_encrypted=True,
            root_volume_size_gb=bastion.volume_size_gb,
            root_volume_type="gp3",
            role=bastion_role_name(spec),
            monitoring=True,
            termination_protection=True,
        )
    ]


LIVE_INSTANCE_STATES = ["pending", "running", "stopping", "stopped"]
"""Instance states that count as the instance existing (terminated ones linger in listings)."""


def collect(ctx: Context) -> None:
    """EC2 instances (the bastion): by tag; their volumes in one call; termination protection and the role
    behind the instance profile per instance."""
    if not ctx.wanted("AWS::EC2::Instance"):
        return
    ec2 = ctx.aws.client("ec2")
    filters = ctx.system_filters()
    live = [{"Name": "instance-state-name", "Values": LIVE_INSTANCE_STATES}]
    reservations = paginate(ec2, "describe_instances", "Reservations", Filters=filters + live)
    instances = ctx.match_tagged(
        "AWS::EC2::Instance", [i for r in reservations for i in r.get("Instances", [])], "InstanceId"
    )
    volume_ids = sorted(
        m["Ebs"]["VolumeId"]
        for i in instances.values()
        for m in i.get("BlockDeviceMappings", [])
        if (m.get("Ebs") or {}).get("VolumeId")
    )
    u_volumes = Unreadable()
    volumes = (
        {
            v["VolumeId"]: v
            for v in (
                u_volumes.read(
                    "ebs_encrypted",
                    functools.partial(paginate, ec2, "describe_volumes", "Volumes", VolumeIds=volume_ids),
                )
                or []
            )
        }
        if volume_ids
        else {}
    )
    iam = ctx.aws.client("iam")

    def read(want: ResourceState) -> ResourceState | None:
        inst = instances.get(want.path)
        if inst is None:
            return None
        iid = inst["InstanceId"]
        u = Unreadable()
        for attribute in ("ebs_encrypted", "root_volume_size_gb", "root_volume_type"):
            if "ebs_encrypted" in u_volumes.reasons:
                u.reasons[attribute] = u_volumes.reasons["ebs_encrypted"]
        protection = u.read(
            "termination_protection",
            lambda: ec2.describe_instance_attribute(InstanceId=iid, Attribute="disableApiTermination")[
                "DisableApiTermination"
            ]["Value"],
        )
        profile_arn = (inst.get("IamInstanceProfile") or {}).get("Arn", "")
        role = None
        if profile_arn:
            profile = u.read(
                "role",
                lambda: iam.get_instance_profile(InstanceProfileName=profile_arn.rsplit("/", 1)[-1])[
                    "InstanceProfile"
                ],
                "NoSuchEntity",
            )
            roles = [r["RoleName"] for r in (profile or {}).get("Roles", [])]
            role = roles[0] if roles else (profile_arn if profile is None else None)
        mappings = [m for m in inst.get("BlockDeviceMappings", []) if (m.get("Ebs") or {}).get("VolumeId")]
        attached = [volumes[m["Ebs"]["VolumeId"]] for m in mappings if m["Ebs"]["VolumeId"] in volumes]
        root = next(
            (
                volumes.get(m["Ebs"]["VolumeId"])
                for m in mappings
                if m.get("DeviceName") == inst.get("RootDeviceName")
            ),
            None,
        )
        groups = {g["GroupId"] for g in inst.get("SecurityGroups", [])}
        for nic in inst.get("NetworkInterfaces", []):  # where the groups are given per interface
            groups.update(g["GroupId"] for g in nic.get("Groups", []))
        metadata = inst.get("MetadataOptions") or {}
        return InstanceState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=iid,
            ids=[iid],
            unreadable=u.reasons,
            tags=tag_dict(inst.get("Tags")),
            instance_type=inst.get("InstanceType", ""),
            subnet=inst.get("SubnetId", ""),
            security_groups=sorted(groups),
            public_ip=bool(inst.get("PublicIpAddress")),
            imdsv2_required=metadata.get("HttpTokens") == "required",
            metadata_hop_limit=int(metadata.get("HttpPutResponseHopLimit", 1)),
            ebs_encrypted=bool(attached) and all(v.get("Encrypted") for v in attached),
            root_volume_size_gb=root.get("Size") if root else None,
            root_volume_type=root.get("VolumeType") if root else None,
            role=role,
            monitoring=(inst.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
            termination_protection=bool(protection),
        )

    ctx.each_desired(ctx.wanted("AWS::EC2::Instance"), read)


STATES: dict[str, type[ResourceState]] = {
    "AWS::EC2::Instance": InstanceState,
}

KIND = Kind(
    states=STATES,
    desired=_bastion,
    collect=collect,
    reads={
        "ec2": ("DescribeInstances", "DescribeVolumes", "DescribeInstanceAttribute"),
        "iam": ("GetInstanceProfile",),
    },
)
