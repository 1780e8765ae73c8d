"""A first run without an AWS account: a moto server on 127.0.0.1, provisioned with a spec "as deployed".

moto's CloudFormation is not a faithful deploy target (it drops PITR, lifecycle, public access block,
Lambda architecture; skips WAFv2, CloudFront, Secrets Manager, bucket policies, API stages and keys), so the
system is created by direct API calls, from the spec's desired states: exactly what a correct deployment
leaves in the account. Tests use the same provisioner.

What moto cannot hold is skipped and listed in `EMULATOR_GAPS` (verify reports those attributes as found).
"""

from __future__ import annotations

import io
import json
import socket
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from archkit.spec import ArchSpec
from archkit.spec.naming import alb_host_name
from archkit.verify.desired import API_ORIGIN, desired_states
from archkit.verify.state import (
    ApiKeyState,
    ApiState,
    AuthorizerState,
    BucketState,
    BudgetState,
    DbInstanceState,
    DbSubnetGroupState,
    DistributionState,
    FlowLogState,
    FunctionState,
    HostedZoneState,
    InstanceState,
    KmsKeyState,
    LayerState,
    ListenerState,
    LoadBalancerState,
    NatGatewayState,
    RoleState,
    RouteTableState,
    SecretState,
    SecurityGroupState,
    SubnetState,
    TableState,
    TargetGroupState,
    UsagePlanState,
    VpcEndpointState,
    VpcLinkState,
    VpcState,
    WebAclState,
)

EMULATOR_GAPS: dict[str, str] = {
    "AWS::CE::AnomalyMonitor": "moto does not implement Cost Explorer anomaly monitors (verify: not_checked)",
    "S3 Intelligent-Tiering": "moto does not implement PutBucketIntelligentTieringConfiguration",
    "API Gateway VPC-link integrations": (
        "moto drops an integration's connectionId and integrationTarget (verify: not_checked)"
    ),
    "EC2 termination protection": "moto's RunInstances ignores DisableApiTermination (set afterwards)",
}
"""What the emulator cannot provision; verify reports these truthfully (not_checked or drift)."""

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}

MULTI_VALUE_HEADERS = "lambda.multi_value_headers.enabled"
"""Target group attribute: repeated headers and query parameters reach a Lambda target as lists."""

ELB_LOG_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378",
    "sa-east-1": "507241528517",
}
"""The Elastic Load Balancing account of each region that writes access logs into a bucket."""

CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
"""The fixed hosted zone id of every CloudFront alias target."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int | None = None) -> tuple[Any, str]:
    """Start a moto server thread on 127.0.0.1: (server, endpoint URL). Stop it with ``server.stop()``."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # Rotation "tests" the rotation function by invoking it; without Docker moto logs an error and carries on.
    logging.getLogger("moto.awslambda").setLevel(logging.CRITICAL)
    # Without a Docker engine moto warns on every Lambda operation; the emulator never runs function code.
    logging.getLogger("moto").setLevel(logging.ERROR)

    port = port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def reset_server(endpoint: str) -> None:
    """Empty the emulator (moto's reset API)."""
    req = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=30).read()


def _zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        zf.writestr(info, "def handler(event, context):\n    return {'statusCode': 200}\n")
    return buf.getvalue()


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


@dataclass
class Deployment:
    """What was created: AWS ids by spec path (for tests that change the account afterwards)."""

    endpoint: str
    region: str
    account: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)

    def client(self, service: str, region: str | None = None) -> Any:
        factory: Any = boto3.client
        return factory(
            service,
            region_name=region or self.region,
            endpoint_url=self.endpoint,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
            config=Config(retries={"mode": "standard", "max_attempts": 3}),
        )


class Provisioner:
    """Creates the desired states of a spec with direct API calls, in dependency order."""

    def __init__(self, spec: ArchSpec, endpoint: str) -> None:
        self.spec = spec
        self.d = Deployment(endpoint=endpoint, region=spec.region)
        self.states = desired_states(spec)
        self.by_path = {s.path: s for s in self.states}
        self.tokens: dict[str, str] = {}
        """Account-dependent `${...}` tokens other than ARNs (`${rds.address}`) -> value."""

    def of(self, cls: type[Any]) -> list[Any]:
        return [s for s in self.states if isinstance(s, cls)]

    def run(self) -> Deployment:
        self.d.account = self.d.client("sts").get_caller_identity()["Account"]
        self._kms()
        self._roles()
        self._network()
        self._database()
        self._tables()
        self._buckets()
        self._layers()
        self._load_balancer()
        self._vpc_link()
        self._api_and_functions()
        self._register_targets()
        self._secrets()
        self._edge()
        self._budgets()
        return self.d

    # --- helpers -------------------------------------------------------------------------------------------
    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        return (
            f"arn:aws:{service}:{region if region is not None else self.d.region}:{self.d.account}:{resource}"
        )

    def role_arn(self, name: str) -> str:
        return f"arn:aws:iam::{self.d.account}:role/{name}"

    def function_arn(self, path: str) -> str:
        return self.arn("lambda", f"function:{self.by_path[path].physical_id}")

    # --- security ------------------------------------------------------------------------------------------
    def _kms(self) -> None:
        kms = self.d.client("kms")
        for k in self.of(KmsKeyState):
            meta = kms.create_key(
                Description=k.description, Tags=[{"TagKey": a, "TagValue": b} for a, b in k.tags.items()]
            )["KeyMetadata"]
            if k.rotation:
                kms.enable_key_rotation(KeyId=meta["KeyId"])
            kms.create_alias(AliasName=k.physical_id, TargetKeyId=meta["KeyId"])
            self.d.ids[k.path], self.d.arns[k.path] = meta["KeyId"], meta["Arn"]

    def _roles(self) -> None:
        iam = self.d.client("iam")
        for r in self.of(RoleState):
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": svc}, "Action": "sts:AssumeRole"}
                    for svc in r.assumed_by
                ],
            }
            role = iam.create_role(
                RoleName=r.physical_id,
                AssumeRolePolicyDocument=json.dumps(trust),
                Description=r.description,
                Tags=_tag_list(r.tags),
            )["Role"]
            self.d.arns[r.path] = role["Arn"]
        lambda_trust = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        )
        for inst in self.of(InstanceState):
            if inst.role is None:
                continue
            ec2_trust = lambda_trust.replace("lambda.amazonaws.com", "ec2.amazonaws.com")
            iam.create_role(RoleName=inst.role, AssumeRolePolicyDocument=ec2_trust, Tags=_tag_list(inst.tags))
            profile = iam.create_instance_profile(InstanceProfileName=f"{inst.physical_id}-profile")
            iam.add_role_to_instance_profile(
                InstanceProfileName=f"{inst.physical_id}-profile", RoleName=inst.role
            )
            self.d.arns[f"{inst.path}.profile"] = profile["InstanceProfile"]["Arn"]
        for f in self.of(FunctionState):
            role = iam.create_role(RoleName=f.role, AssumeRolePolicyDocument=lambda_trust)["Role"]
            self.d.arns[f"{f.path}.role"] = role["Arn"]
            iam.put_role_policy(
                RoleName=f.role, PolicyName="grants", PolicyDocument=json.dumps(self._grant_policy(f.path))
            )

    def _grant_policy(self, path: str) -> dict[str, Any]:
        key = path.split(".", 1)[1]
        fn = self.spec.functions[key]
        statements: list[dict[str, Any]] = [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": self.arn("logs", f"log-group:/aws/lambda/{self.by_path[path].physical_id}:*"),
            }
        ]
        for target, grant in fn.grants.items():
            kind, _, name = target.partition(".")
            physical = self.spec.name_of(name)
            if kind == "tables":
                actions = {"read": ["dynamodb:GetItem", "dynamodb:Query"], "write": ["dynamodb:PutItem"]}
                table_arn = self.arn("dynamodb", f"table/{physical}")
                resources = [table_arn, f"{table_arn}/index/*"] if grant.indexes else [table_arn]
            else:
                actions = {"read": ["s3:GetObject"], "write": ["s3:PutObject"]}
                prefixes = grant.prefixes or [""]
                resources = [f"arn:aws:s3:::{physical}/{p}*" for p in prefixes]
            acts = actions["read"] * (grant.access != "write") + actions["write"] * (grant.access != "read")
            statements.append({"Effect": "Allow", "Action": sorted(acts), "Resource": resources})
        for secret in fn.secrets:
            statements.append(
                {
                    "Effect": "Allow",
                    "Action": ["secretsmanager:GetSecretValue"],
                    "Resource": self.arn("secretsmanager", f"secret:{self.spec.name_of(secret)}-*"),
                }
            )
        return {"Version": "2012-10-17", "Statement": statements}

    # --- network -------------------------------------------------------------------------------------------
    def _network(self) -> None:
        vpcs = self.of(VpcState)
        if not vpcs:
            return
        ec2 = self.d.client("ec2")
        vpc = vpcs[0]

        def spec_tags(kind: str, tags: dict[str, str]) -> list[dict[str, Any]]:
            return [{"ResourceType": kind, "Tags": _tag_list(tags)}]

        vpc_id = ec2.create_vpc(CidrBlock=vpc.cidr, TagSpecifications=spec_tags("vpc", vpc.tags))["Vpc"][
            "VpcId"
        ]
        self.d.ids[vpc.path] = vpc_id
        for sn in self.of(SubnetState):
            sid = ec2.create_subnet(
                VpcId=vpc_id,
                CidrBlock=sn.cidr,
                AvailabilityZone=sn.availability_zone,
                TagSpecifications=spec_tags("subnet", sn.tags),
            )["Subnet"]["SubnetId"]
            if sn.map_public_ip_on_launch:
                ec2.modify_subnet_attribute(SubnetId=sid, MapPublicIpOnLaunch={"Value": True})
            self.d.ids[sn.path] = sid
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
        self.d.ids["network.internet_gateway"] = igw
        for nat in self.of(NatGatewayState):
            alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
            nat_id = ec2.create_nat_gateway(
                SubnetId=self.d.ids[nat.subnet],
                AllocationId=alloc,
                TagSpecifications=spec_tags("natgateway", nat.tags),
            )["NatGateway"]["NatGatewayId"]
            self.d.ids[nat.path] = nat_id
        for rt in self.of(RouteTableState):
            rt_id = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=spec_tags("route-table", rt.tags))[
                "RouteTable"
            ]["RouteTableId"]
            self.d.ids[rt.path] = rt_id
            for subnet in rt.subnets:
                ec2.associate_route_table(RouteTableId=rt_id, SubnetId=self.d.ids[subnet])
            for dest, target in rt.routes.items():
                if target == "local":
                    continue
                if target == "internet_gateway":
                    ec2.create_route(RouteTableId=rt_id, DestinationCidrBlock=dest, GatewayId=igw)
                else:
                    ec2.create_route(
                        RouteTableId=rt_id, DestinationCidrBlock=dest, NatGatewayId=self.d.ids[target]
                    )
        self._security_groups(ec2, vpc_id)
        for ep in self.of(VpcEndpointState):
            kwargs: dict[str, Any] = {
                "VpcId": vpc_id,
                "ServiceName": f"com.amazonaws.{self.d.region}.{ep.service}",
                "TagSpecifications": spec_tags("vpc-endpoint", ep.tags),
            }
            if ep.endpoint_type == "gateway":
                kwargs.update(
                    VpcEndpointType="Gateway", RouteTableIds=[self.d.ids[r] for r in ep.route_tables]
                )
            else:
                kwargs.update(
                    VpcEndpointType="Interface",
                    SubnetIds=[self.d.ids[s] for s in ep.subnets],
                    PrivateDnsEnabled=bool(ep.private_dns),
                )
            self.d.ids[ep.path] = ec2.create_vpc_endpoint(**kwargs)["VpcEndpoint"]["VpcEndpointId"]
        for fl in self.of(FlowLogState):
            kwargs = {
                "ResourceIds": [vpc_id],
                "ResourceType": "VPC",
                "TrafficType": fl.traffic_type,
                "TagSpecifications": spec_tags("vpc-flow-log", fl.tags),
            }
            if fl.destination == "cloudwatch":
                group = f"/archkit/{fl.physical_id}"
                logs = self.d.client("logs")
                logs.create_log_group(logGroupName=group)
                if fl.retention_days:
                    logs.put_retention_policy(logGroupName=group, retentionInDays=fl.retention_days)
                kwargs.update(
                    LogDestinationType="cloud-watch-logs",
                    LogGroupName=group,
                    DeliverLogsPermissionArn=self.role_arn(f"{fl.physical_id}-role"),
                )
            else:
                kwargs.update(LogDestinationType="s3", LogDestination="arn:aws:s3:::flow-logs")
            self.d.ids[fl.path] = ec2.create_flow_logs(**kwargs)["FlowLogIds"][0]
        for inst in self.of(InstanceState):
            self._instance(ec2, inst)

    def _instance(self, ec2: Any, inst: InstanceState) -> None:
        images = ec2.describe_images(
            Owners=["amazon"],
            Filters=[{"Name": "architecture", "Values": [_architecture(inst.instance_type)]}],
        )["Images"]
        kwargs: dict[str, Any] = {
            "ImageId": sorted(i["ImageId"] for i in images)[0],
            "MinCount": 1,
            "MaxCount": 1,
            "InstanceType": inst.instance_type,
            "NetworkInterfaces": [
                {
                    "DeviceIndex": 0,
                    "SubnetId": self.d.ids[inst.subnet],
                    "Groups": [self.d.ids[g] for g in inst.security_groups],
                    "AssociatePublicIpAddress": inst.public_ip,
                }
            ],
            "MetadataOptions": {
                "HttpTokens": "required" if inst.imdsv2_required else "optional",
                "HttpEndpoint": "enabled",
                "HttpPutResponseHopLimit": inst.metadata_hop_limit,
            },
            "BlockDeviceMappings": [
                {
                    "DeviceName": "/dev/xvda",
                    "Ebs": {
                        "VolumeSize": inst.root_volume_size_gb or 8,
                        "VolumeType": inst.root_volume_type or "gp3",
                        "Encrypted": inst.ebs_encrypted,
                        "DeleteOnTermination": True,
                    },
                }
            ],
            "Monitoring": {"Enabled": inst.monitoring},
            "DisableApiTermination": inst.termination_protection,
            "EbsOptimized": True,
            "TagSpecifications": [{"ResourceType": "instance", "Tags": _tag_list(inst.tags)}],
        }
        if inst.role is not None:
            kwargs["IamInstanceProfile"] = {"Arn": self.d.arns[f"{inst.path}.profile"]}
        iid = ec2.run_instances(**kwargs)["Instances"][0]["InstanceId"]
        if inst.termination_protection:  # moto's RunInstances ignores the flag (EMULATOR_GAPS)
            ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={"Value": True})
        self.d.ids[inst.path] = iid

    # --- database ------------------------------------------------------------------------------------------
    def _database(self) -> None:
        rds = self.d.client("rds")
        for group in self.of(DbSubnetGroupState):
            rds.create_db_subnet_group(
                DBSubnetGroupName=group.physical_id,
                DBSubnetGroupDescription=group.description,
                SubnetIds=[self.d.ids[s] for s in group.subnets],
                Tags=_tag_list(group.tags),
            )
        for db in self.of(DbInstanceState):
            kwargs: dict[str, Any] = {
                "DBInstanceIdentifier": db.physical_id,
                "Engine": db.engine,
                "EngineVersion": db.engine_version,
                "DBInstanceClass": db.instance_class,
                "AllocatedStorage": db.allocated_storage_gb,
                "StorageType": db.storage_type,
                "MultiAZ": db.multi_az,
                "Port": db.port,
                "MasterUsername": db.master_username,
                "MasterUserPassword": "generated-by-archkit-emulator",
                "StorageEncrypted": db.storage_encrypted,
                "VpcSecurityGroupIds": [self.d.ids[g] for g in db.security_groups],
                "BackupRetentionPeriod": db.backup_retention_days,
                "DeletionProtection": db.deletion_protection,
                "EnableIAMDatabaseAuthentication": db.iam_authentication,
                "PubliclyAccessible": db.publicly_accessible,
                "EnableCloudwatchLogsExports": db.log_exports,
                "AutoMinorVersionUpgrade": db.auto_minor_version_upgrade,
                "CopyTagsToSnapshot": db.copy_tags_to_snapshot,
                "Tags": _tag_list(db.tags),
            }
            if db.database_name:
                kwargs["DBName"] = db.database_name
            if db.kms_key:
                kwargs["KmsKeyId"] = self.d.arns[db.kms_key]
            if db.subnet_group:
                kwargs["DBSubnetGroupName"] = self.by_path[db.subnet_group].physical_id
            created = rds.create_db_instance(**kwargs)["DBInstance"]
            self.d.ids[db.path], self.d.arns[db.path] = (
                created["DBInstanceIdentifier"],
                created["DBInstanceArn"],
            )
            self.tokens["${" + db.path + ".address}"] = created["Endpoint"]["Address"]

    def _security_groups(self, ec2: Any, vpc_id: str) -> None:
        groups = self.of(SecurityGroupState)
        for sg in groups:
            self.d.ids[sg.path] = ec2.create_security_group(
                GroupName=sg.physical_id,
                Description=sg.description,
                VpcId=vpc_id,
                TagSpecifications=[{"ResourceType": "security-group", "Tags": _tag_list(sg.tags)}],
            )["GroupId"]
        prefix_lists = {
            p["PrefixListName"].rsplit(".", 1)[-1]: p["PrefixListId"]
            for p in ec2.describe_prefix_lists()["PrefixLists"]
        }
        for sg in groups:
            gid = self.d.ids[sg.path]
            ec2.revoke_security_group_egress(
                GroupId=gid, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
            )
            for direction, rules in (("ingress", sg.ingress), ("egress", sg.egress)):
                perms = [self._permission(key, desc, prefix_lists) for key, desc in rules.items()]
                if not perms:
                    continue
                call = (
                    ec2.authorize_security_group_ingress
                    if direction == "ingress"
                    else ec2.authorize_security_group_egress
                )
                call(GroupId=gid, IpPermissions=perms)

    def _permission(self, key: str, description: str, prefix_lists: dict[str, str]) -> dict[str, Any]:
        protocol, ports, kind, peer = key.split(" ", 3)
        perm: dict[str, Any] = {"IpProtocol": "-1" if protocol == "all" else protocol}
        if ports != "all":
            low, _, high = ports.partition("-")
            perm.update(FromPort=int(low), ToPort=int(high or low))
        if kind == "cidr":
            perm["IpRanges"] = [{"CidrIp": peer, "Description": description}]
        elif kind == "sg":
            perm["UserIdGroupPairs"] = [{"GroupId": self.d.ids[peer], "Description": description}]
        else:
            perm["PrefixListIds"] = [{"PrefixListId": prefix_lists[peer], "Description": description}]
        return perm

    # --- data ----------------------------------------------------------------------------------------------
    def _tables(self) -> None:
        types = {"string": "S", "number": "N", "binary": "B"}
        for t in self.of(TableState):
            attrs: dict[str, str] = {}
            keys = [t.partition_key, t.sort_key] + [
                k for ix in t.indexes.values() for k in (ix.partition_key, ix.sort_key)
            ]
            for k in keys:
                if k is not None:
                    attrs[k.name] = types[k.type]

            def schema(pk: Any, sk: Any) -> list[dict[str, str]]:
                out = [{"AttributeName": pk.name, "KeyType": "HASH"}]
                return out + ([{"AttributeName": sk.name, "KeyType": "RANGE"}] if sk else [])

            provisioned = t.billing == "provisioned"
            kwargs: dict[str, Any] = {
                "TableName": t.physical_id,
                "AttributeDefinitions": [{"AttributeName": n, "AttributeType": v} for n, v in attrs.items()],
                "KeySchema": schema(t.partition_key, t.sort_key),
                "BillingMode": "PROVISIONED" if provisioned else "PAY_PER_REQUEST",
                "Tags": _tag_list(t.tags),
                "DeletionProtectionEnabled": t.deletion_protection,
                "TableClass": t.table_class,
            }
            if provisioned:
                kwargs["ProvisionedThroughput"] = {
                    "ReadCapacityUnits": t.read_capacity,
                    "WriteCapacityUnits": t.write_capacity,
                }
            if t.indexes:
                kwargs["GlobalSecondaryIndexes"] = [
                    {
                        "IndexName": name,
                        "KeySchema": schema(ix.partition_key, ix.sort_key),
                        "Projection": {"ProjectionType": ix.projection.upper()}
                        | ({"NonKeyAttributes": ix.non_key_attributes} if ix.projection == "include" else {}),
                    }
                    | (
                        {
                            "ProvisionedThroughput": {
                                "ReadCapacityUnits": ix.read_capacity,
                                "WriteCapacityUnits": ix.write_capacity,
                            }
                        }
                        if provisioned
                        else {}
                    )
                    for name, ix in t.indexes.items()
                ]
            if t.encryption != "aws_owned":
                sse: dict[str, Any] = {"Enabled": True, "SSEType": "KMS"}
                if t.kms_key:
                    sse["KMSMasterKeyId"] = self.d.arns[t.kms_key]
                kwargs["SSESpecification"] = sse
            if t.stream_view:
                kwargs["StreamSpecification"] = {
                    "StreamEnabled": True,
                    "StreamViewType": t.stream_view.upper(),
                }
            for region in [self.d.region, *t.replicas]:
                ddb = self.d.client("dynamodb", region)
                desc = ddb.create_table(**kwargs)["TableDescription"]
                if t.point_in_time_recovery:
                    ddb.update_continuous_backups(
                        TableName=t.physical_id,
                        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
                    )
                if t.ttl_attribute:
                    ddb.update_time_to_live(
                        TableName=t.physical_id,
                        TimeToLiveSpecification={"Enabled": True, "AttributeName": t.ttl_attribute},
                    )
                if region == self.d.region:
                    self.d.arns[t.path] = desc["TableArn"]
                    self.d.arns[f"{t.path}.stream"] = desc.get("LatestStreamArn", "")
            aas = self.d.client("application-autoscaling")
            for which, scaling in t.auto_scaling.items():
                dim = f"dynamodb:table:{'Read' if which == 'read' else 'Write'}CapacityUnits"
                rid = f"table/{t.physical_id}"
                aas.register_scalable_target(
                    ServiceNamespace="dynamodb",
                    ResourceId=rid,
                    ScalableDimension=dim,
                    MinCapacity=scaling.min_capacity,
                    MaxCapacity=scaling.max_capacity,
                )
                metric = (
                    "DynamoDBReadCapacityUtilization"
                    if which == "read"
                    else "DynamoDBWriteCapacityUtilization"
                )
                aas.put_scaling_policy(
                    PolicyName=f"{t.physical_id}-{which}",
                    ServiceNamespace="dynamodb",
                    ResourceId=rid,
                    ScalableDimension=dim,
                    PolicyType="TargetTrackingScaling",
                    TargetTrackingScalingPolicyConfiguration={
                        "TargetValue": float(scaling.target_utilization),
                        "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                    },
                )

    def bucket_policy(self, b: BucketState) -> dict[str, Any]:
        actions = {"read": ["s3:GetObject"], "write": ["s3:PutObject", "s3:DeleteObject"]}
        statements: list[dict[str, Any]] = []
        for sid, st in b.policy_statements.items():
            if st.principal == "cloudfront":
                principal: dict[str, Any] = {"Service": "cloudfront.amazonaws.com"}
            elif st.principal.startswith("functions."):
                principal = {"AWS": self.d.arns[f"{st.principal}.role"]}
            else:
                principal = {"AWS": self.d.arns.get(st.principal, st.principal)}
            acts = actions["read"] * (st.access != "write") + actions["write"] * (st.access != "read")
            statements.append(
                {
                    "Sid": sid,
                    "Effect": st.effect,
                    "Principal": principal,
                    "Action": acts,
                    "Resource": f"arn:aws:s3:::{b.physical_id}/{st.prefix}*",
                }
            )
        if b.enforce_tls:
            statements.append(
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{b.physical_id}", f"arn:aws:s3:::{b.physical_id}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            )
        for lb in self.of(LoadBalancerState):
            if lb.access_logs and lb.access_logs_bucket == b.path:
                # What CDK's logAccessLogs grants: the region's Elastic Load Balancing account may write.
                prefix = f"{lb.access_logs_prefix}/" if lb.access_logs_prefix else ""
                account = ELB_LOG_ACCOUNTS.get(self.d.region)
                statements.append(
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"}
                        if account
                        else {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": f"arn:aws:s3:::{b.physical_id}/{prefix}AWSLogs/{self.d.account}/*",
                    }
                )
                delivery = {"Service": "delivery.logs.amazonaws.com"}
                statements += [
                    {
                        "Effect": "Allow",
                        "Principal": delivery,
                        "Action": "s3:PutObject",
                        "Resource": f"arn:aws:s3:::{b.physical_id}/{prefix}AWSLogs/{self.d.account}/*",
                        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                    },
                    {
                        "Effect": "Allow",
                        "Principal": delivery,
                        "Action": "s3:GetBucketAcl",
                        "Resource": f"arn:aws:s3:::{b.physical_id}",
                    },
                ]
        return {"Version": "2012-10-17", "Statement": statements}

    def _buckets(self) -> None:
        s3 = self.d.client("s3")
        buckets = self.of(BucketState)
        for b in buckets:
            kwargs: dict[str, Any] = {"Bucket": b.physical_id}
            if self.d.region != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.d.region}
            s3.create_bucket(**kwargs)
        for b in buckets:
            name = b.physical_id
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tag_list(b.tags)})
            pab = b.public_access_block
            s3.put_public_access_block(
                Bucket=name,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": pab.block_public_acls,
                    "IgnorePublicAcls": pab.ignore_public_acls,
                    "BlockPublicPolicy": pab.block_public_policy,
                    "RestrictPublicBuckets": pab.restrict_public_buckets,
                },
            )
            rule: dict[str, Any] = {"SSEAlgorithm": "AES256"}
            if b.encryption == "kms":
                rule = {"SSEAlgorithm": "aws:kms"} | (
                    {"KMSMasterKeyID": self.d.arns[b.kms_key]} if b.kms_key else {}
                )
            s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": rule}]},
            )
            if b.versioning:
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
            if b.lifecycle_rules:
                s3.put_bucket_lifecycle_configuration(
                    Bucket=name,
                    LifecycleConfiguration={
                        "Rules": [lifecycle_rule(i, r) for i, r in b.lifecycle_rules.items()]
                    },
                )
            s3.put_bucket_ownership_controls(
                Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": b.object_ownership}]}
            )
            policy = self.bucket_policy(b)
            if policy["Statement"]:
                s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
            if b.logging_bucket:
                target_state = self.by_path[b.logging_bucket]
                target = target_state.physical_id
                self._allow_log_delivery(s3, target_state)
                s3.put_bucket_logging(
                    Bucket=name,
                    BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "s3/"}},
                )
            # Intelligent-Tiering: moto has no PutBucketIntelligentTieringConfiguration (EMULATOR_GAPS).
            self.d.arns[b.path] = f"arn:aws:s3:::{name}"

    def _allow_log_delivery(self, s3: Any, target: Any) -> None:
        """What CDK does for a server-access-log target: the log-delivery ACL (ObjectWriter ownership) or
        a bucket policy statement for logging.s3.amazonaws.com (ACLs disabled)."""
        if target.object_ownership == "ObjectWriter":
            s3.put_bucket_acl(Bucket=target.physical_id, ACL="log-delivery-write")
            return
        policy = self.bucket_policy(target)
        policy["Statement"].append(
            {
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{target.physical_id}/*",
            }
        )
        s3.put_bucket_policy(Bucket=target.physical_id, Policy=json.dumps(policy))

    # --- load balancer and VPC link ------------------------------------------------------------------------
    def _load_balancer(self) -> None:
        elb = self.d.client("elbv2")
        for lb in self.of(LoadBalancerState):
            created = elb.create_load_balancer(
                Name=lb.physical_id,
                Subnets=[self.d.ids[s] for s in lb.subnets],
                SecurityGroups=[self.d.ids[g] for g in lb.security_groups],
                Scheme=lb.scheme,
                Type="application",
                IpAddressType="ipv4",
                Tags=_tag_list(lb.tags),
            )["LoadBalancers"][0]
            self.d.arns[lb.path], self.d.ids[lb.path] = created["LoadBalancerArn"], created["DNSName"]
            self.d.ids[f"{lb.path}.zone"] = created["CanonicalHostedZoneId"]
            attributes = {
                "deletion_protection.enabled": lb.deletion_protection,
                "routing.http.drop_invalid_header_fields.enabled": lb.drop_invalid_headers,
                "routing.http2.enabled": lb.http2,
                "idle_timeout.timeout_seconds": lb.idle_timeout_seconds,
                "access_logs.s3.enabled": lb.access_logs,
            }
            if lb.access_logs and lb.access_logs_bucket:
                attributes["access_logs.s3.bucket"] = self.by_path[lb.access_logs_bucket].physical_id
                attributes["access_logs.s3.prefix"] = lb.access_logs_prefix or ""
            elb.modify_load_balancer_attributes(
                LoadBalancerArn=created["LoadBalancerArn"],
                Attributes=[
                    {"Key": k, "Value": str(v).lower() if isinstance(v, bool) else str(v)}
                    for k, v in attributes.items()
                ],
            )
        for tg in self.of(TargetGroupState):
            group = elb.create_target_group(
                Name=tg.physical_id,
                TargetType=tg.target_type,
                HealthCheckEnabled=tg.health_check,
                Tags=_tag_list(tg.tags),
            )["TargetGroups"][0]
            self.d.arns[tg.path] = group["TargetGroupArn"]
            elb.modify_target_group_attributes(
                TargetGroupArn=group["TargetGroupArn"],
                Attributes=[
                    {
                        "Key": "lambda.multi_value_headers.enabled",
                        "Value": str(tg.multi_value_headers).lower(),
                    }
                ],
            )
        for listener in self.of(ListenerState):
            kwargs: dict[str, Any] = {
                "LoadBalancerArn": self.d.arns[listener.load_balancer],
                "Port": listener.port,
                "Protocol": listener.protocol,
                "DefaultActions": [_action(listener.default_action, self.d.arns)],
            }
            if listener.tags:  # CloudFormation cannot tag listeners, so the desired state has none
                kwargs["Tags"] = _tag_list(listener.tags)
            if listener.certificate:
                kwargs["Certificates"] = [{"CertificateArn": self._certificate(listener)}]
            if listener.ssl_policy:
                kwargs["SslPolicy"] = listener.ssl_policy
            arn = elb.create_listener(**kwargs)["Listeners"][0]["ListenerArn"]
            self.d.arns[listener.path] = arn
            for priority, rule in listener.rules.items():
                elb.create_rule(
                    ListenerArn=arn,
                    Priority=int(priority),
                    Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": rule.paths}}],
                    Actions=[{"Type": "forward", "TargetGroupArn": self.d.arns[rule.target_group]}],
                )

    def _certificate(self, listener: ListenerState) -> str:
        """The listener's certificate: the ARN the spec names, or one issued for its domain name."""
        assert listener.certificate is not None
        if listener.certificate.startswith("arn:"):
            return listener.certificate
        acm = self.d.client("acm")
        return str(
            acm.request_certificate(DomainName=listener.certificate, ValidationMethod="DNS")["CertificateArn"]
        )

    def _register_targets(self) -> None:
        elb = self.d.client("elbv2")
        for tg in self.of(TargetGroupState):
            targets = [{"Id": self.d.arns[t]} for t in tg.targets]
            if targets:
                elb.register_targets(TargetGroupArn=self.d.arns[tg.path], Targets=targets)

    def _vpc_link(self) -> None:
        for link in self.of(VpcLinkState):
            created = self.d.client("apigatewayv2").create_vpc_link(
                Name=link.physical_id,
                SubnetIds=[self.d.ids[s] for s in link.subnets],
                SecurityGroupIds=[self.d.ids[g] for g in link.security_groups],
                Tags=link.tags,
            )
            self.d.ids[link.path] = created["VpcLinkId"]

    # --- compute and API ---------------------------------------------------------------------------------
    def _layers(self) -> None:
        lam = self.d.client("lambda")
        for layer in self.of(LayerState):
            v = lam.publish_layer_version(
                LayerName=layer.physical_id,
                Description=layer.description,
                Content={"ZipFile": _zip("python/lib.py")},
                CompatibleRuntimes=layer.compatible_runtimes,
                CompatibleArchitectures=layer.compatible_architectures,
            )
            self.d.arns[layer.path] = v["LayerVersionArn"]

    def _api_and_functions(self) -> None:
        apis = self.of(ApiState)
        api_url = ""
        if apis:
            api_url = self._api(apis[0])
        lam = self.d.client("lambda")
        logs = self.d.client("logs")
        sqs = self.d.client("sqs")
        for f in self.of(FunctionState):
            env = {k: self._value(v, api_url) for k, v in f.environment.items()}
            kwargs: dict[str, Any] = {
                "FunctionName": f.physical_id,
                "Runtime": f.runtime,
                "Role": self.d.arns[f"{f.path}.role"],
                "Handler": f.handler,
                "Code": {"ZipFile": _zip("handler.py")},
                "MemorySize": f.memory,
                "Timeout": f.timeout,
                "Architectures": [f.architecture],
                "Environment": {"Variables": env},
                "TracingConfig": {"Mode": "Active" if f.tracing else "PassThrough"},
                "EphemeralStorage": {"Size": f.ephemeral_storage},
                "Layers": [self.d.arns[layer] for layer in f.layers],
                "Tags": f.tags,
            }
            if f.subnets:
                kwargs["VpcConfig"] = {
                    "SubnetIds": [self.d.ids[s] for s in f.subnets],
                    "SecurityGroupIds": [self.d.ids[g] for g in f.security_groups],
                }
            self.d.arns[f.path] = lam.create_function(**kwargs)["FunctionArn"]
            if f.reserved_concurrency is not None:
                lam.put_function_concurrency(
                    FunctionName=f.physical_id, ReservedConcurrentExecutions=f.reserved_concurrency
                )
            group = f"/aws/lambda/{f.physical_id}"
            logs.create_log_group(logGroupName=group)
            if f.log_retention_days:
                logs.put_retention_policy(logGroupName=group, retentionInDays=f.log_retention_days)
            for source, es in f.event_sources.items():
                kw: dict[str, Any] = {
                    "EventSourceArn": self.d.arns[f"{source}.stream"],
                    "FunctionName": f.physical_id,
                    "BatchSize": es.batch_size,
                    "Enabled": es.enabled,
                }
                if es.starting_position:
                    kw["StartingPosition"] = es.starting_position
                if es.retry_attempts is not None:
                    kw["MaximumRetryAttempts"] = es.retry_attempts
                if es.on_failure_destination:
                    queue = sqs.create_queue(QueueName=f"{f.physical_id}-dlq")["QueueUrl"]
                    qarn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
                        "Attributes"
                    ]["QueueArn"]
                    kw["DestinationConfig"] = {"OnFailure": {"Destination": qarn}}
                lam.create_event_source_mapping(**kw)

    def _value(self, value: str, api_url: str) -> str:
        """Resolve the account-dependent `${...}` tokens of a desired environment value."""
        for path, arn in self.d.arns.items():
            value = value.replace("${" + path + ".arn}", arn)
        for token, resolved in self.tokens.items():
            value = value.replace(token, resolved)
        return value.replace("${api.url}", api_url)

    def _api(self, api: ApiState) -> str:
        gw = self.d.client("apigateway")
        rest = gw.create_rest_api(
            name=api.physical_id,
            description=api.description,
            endpointConfiguration={"types": [api.endpoint_type]},
            tags=api.tags,
            **(
                {"minimumCompressionSize": api.minimum_compression_size}
                if api.minimum_compression_size is not None
                else {}
            ),
            **({"policy": json.dumps(ip_policy(api.ip_allow_list))} if api.ip_allow_list else {}),
        )
        api_id = rest["id"]
        self.d.ids[api.path] = api_id
        root = next(r["id"] for r in gw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
        for name, schema in api.models.items():
            gw.create_model(
                restApiId=api_id, name=name, contentType="application/json", schema=json.dumps(schema)
            )
        validators = {
            level: gw.create_request_validator(
                restApiId=api_id,
                name=level,
                validateRequestBody=level in ("body", "all"),
                validateRequestParameters=level in ("params", "all"),
            )["id"]
            for level in ("params", "body", "all")
        }
        for a in self.of(AuthorizerState):
            self.d.ids[a.path] = gw.create_authorizer(
                restApiId=api_id,
                name=a.physical_id,
                type=a.type.upper(),
                authorizerUri=self.invocation_uri(a.function),
                identitySource=a.identity_source,
                authorizerResultTtlInSeconds=a.result_ttl_seconds,
            )["id"]
        resource_ids = {"/": root}

        def resource(path: str) -> str:
            if path not in resource_ids:
                parent, _, part = path.rstrip("/").rpartition("/")
                resource_ids[path] = gw.create_resource(
                    restApiId=api_id, parentId=resource(parent or "/"), pathPart=part
                )["id"]
            return resource_ids[path]

        for key, m in api.methods.items():
            verb, path = key.split(" ", 1)
            rid = resource(path)
            kwargs: dict[str, Any] = {
                "restApiId": api_id,
                "resourceId": rid,
                "httpMethod": verb,
                "authorizationType": "CUSTOM" if m.authorizer else "NONE",
                "apiKeyRequired": m.api_key_required,
                "requestParameters": m.request_parameters,
            }
            if m.authorizer:
                kwargs["authorizerId"] = self.d.ids[m.authorizer]
            if m.validation != "none":
                kwargs["requestValidatorId"] = validators[m.validation]
            if m.request_model:
                kwargs["requestModels"] = {"application/json": m.request_model}
            gw.put_method(**kwargs)
            if m.integration == "vpc_link":
                self._vpc_link_integration(gw, api_id, rid, verb, path, m)
                continue
            gw.put_integration(
                restApiId=api_id,
                resourceId=rid,
                httpMethod=verb,
                type="AWS_PROXY" if m.integration == "proxy" else "AWS",
                integrationHttpMethod="POST",
                uri=self.invocation_uri(m.function),
                **({"requestTemplates": m.request_templates} if m.integration == "mapped" else {}),
            )
            if m.integration == "mapped":
                gw.put_method_response(restApiId=api_id, resourceId=rid, httpMethod=verb, statusCode="200")
                gw.put_integration_response(
                    restApiId=api_id,
                    resourceId=rid,
                    httpMethod=verb,
                    statusCode="200",
                    responseTemplates=m.response_templates,
                )
        if api.cors is not None:
            for path in sorted({k.split(" ", 1)[1] for k in api.methods}):
                self._cors(gw, api_id, resource(path), api)
        gw.create_deployment(restApiId=api_id, stageName=api.stage)
        ops = [
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(api.throttling.rate)},
            {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(api.throttling.burst)},
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": api.logging.execution_level},
            {"op": "replace", "path": "/*/*/logging/dataTrace", "value": str(api.logging.data_trace).lower()},
            {"op": "replace", "path": "/*/*/metrics/enabled", "value": str(api.logging.metrics).lower()},
            {"op": "replace", "path": "/tracingEnabled", "value": str(api.tracing).lower()},
        ]
        if api.logging.access_logs:
            group = f"/aws/apigateway/{api.physical_id}"
            self.d.client("logs").create_log_group(logGroupName=group)
            ops += [
                {
                    "op": "replace",
                    "path": "/accessLogSettings/destinationArn",
                    "value": self.arn("logs", f"log-group:{group}"),
                },
                {
                    "op": "replace",
                    "path": "/accessLogSettings/format",
                    "value": '{"requestId":"$context.requestId"}',
                },
            ]
        gw.update_stage(restApiId=api_id, stageName=api.stage, patchOperations=ops)
        key_ids = {}
        for k in self.of(ApiKeyState):
            key_ids[k.path] = gw.create_api_key(name=k.physical_id, enabled=k.enabled, tags=k.tags)["id"]
            self.d.ids[k.path] = key_ids[k.path]
        for p in self.of(UsagePlanState):
            kwargs = {
                "name": p.physical_id,
                "description": p.description,
                "apiStages": [{"apiId": api_id, "stage": s.split(":", 1)[1]} for s in p.stages],
                "tags": p.tags,
            }
            if p.throttling:
                kwargs["throttle"] = {"rateLimit": p.throttling.rate, "burstLimit": p.throttling.burst}
            if p.quota:
                kwargs["quota"] = {"limit": p.quota.limit, "period": p.quota.period}
            plan = gw.create_usage_plan(**kwargs)["id"]
            self.d.ids[p.path] = plan
            for key in p.api_keys:
                gw.create_usage_plan_key(usagePlanId=plan, keyId=key_ids[key], keyType="API_KEY")
        return f"https://{api_id}.execute-api.{self.d.region}.amazonaws.com/{api.stage}"

    def _vpc_link_integration(self, gw: Any, api_id: str, rid: str, verb: str, path: str, m: Any) -> None:
        """An HTTP proxy through the VPC link to the load balancer, which routes the path to the function
        (moto keeps neither connectionId nor integrationTarget: EMULATOR_GAPS)."""
        assert m.vpc_link is not None and m.integration_target is not None
        params = [p for p in m.request_parameters if p.startswith("method.request.path.")]
        gw.put_integration(
            restApiId=api_id,
            resourceId=rid,
            httpMethod=verb,
            type="HTTP_PROXY",
            integrationHttpMethod=verb,
            uri=self.load_balancer_url(m.integration_target) + path,
            connectionType="VPC_LINK",
            connectionId=self.d.ids[m.vpc_link],
            integrationTarget=self.d.arns[m.integration_target],
            requestParameters={p.replace("method.", "integration.", 1): p for p in params},
        )

    def load_balancer_url(self, path: str) -> str:
        """Scheme and host VPC-link integrations address: `https://<listener certificate's name>`, or
        `http://<load balancer DNS name>` for a plain HTTP listener."""
        listener = next(li for li in self.of(ListenerState) if li.load_balancer == path)
        https = listener.protocol == "HTTPS"
        url = f"https://{alb_host_name(self.spec)}" if https else f"http://{self.d.ids[path]}"
        if listener.port != (443 if listener.protocol == "HTTPS" else 80):
            url += f":{listener.port}"
        return url

    def invocation_uri(self, function_path: str) -> str:
        return (
            f"arn:aws:apigateway:{self.d.region}:lambda:path/2015-03-31/functions/"
            f"{self.function_arn(function_path)}/invocations"
        )

    def _cors(self, gw: Any, api_id: str, rid: str, api: ApiState) -> None:
        assert api.cors is not None
        c = api.cors
        headers = {
            "method.response.header.Access-Control-Allow-Origin": "'" + ",".join(c.allow_origins) + "'",
            "method.response.header.Access-Control-Allow-Methods": "'" + ",".join(c.allow_methods) + "'",
            "method.response.header.Access-Control-Allow-Headers": "'" + ",".join(c.allow_headers) + "'",
        }
        if c.max_age_seconds is not None:
            headers["method.response.header.Access-Control-Max-Age"] = f"'{c.max_age_seconds}'"
        if c.allow_credentials:
            headers["method.response.header.Access-Control-Allow-Credentials"] = "'true'"
        gw.put_method(restApiId=api_id, resourceId=rid, httpMethod="OPTIONS", authorizationType="NONE")
        gw.put_integration(
            restApiId=api_id,
            resourceId=rid,
            httpMethod="OPTIONS",
            type="MOCK",
            requestTemplates={"application/json": '{"statusCode": 204}'},
        )
        gw.put_method_response(
            restApiId=api_id,
            resourceId=rid,
            httpMethod="OPTIONS",
            statusCode="204",
            responseParameters={k: True for k in headers},
        )
        gw.put_integration_response(
            restApiId=api_id,
            resourceId=rid,
            httpMethod="OPTIONS",
            statusCode="204",
            responseParameters=headers,
        )

    def _secrets(self) -> None:
        sm = self.d.client("secretsmanager")
        for s in self.of(SecretState):
            kwargs: dict[str, Any] = {
                "Name": s.physical_id,
                "Description": s.description,
                "SecretString": "generated-by-archkit-emulator",
                "Tags": _tag_list(s.tags),
            }
            if s.kms_key:
                kwargs["KmsKeyId"] = self.d.arns[s.kms_key]
            arn = sm.create_secret(**kwargs)["ARN"]
            self.d.arns[s.path] = arn
            if s.rotation_enabled and s.rotation_function:
                sm.rotate_secret(
                    SecretId=arn,
                    RotationLambdaARN=self.d.arns[s.rotation_function],
                    RotationRules={"AutomaticallyAfterDays": s.rotation_days or 30},
                    RotateImmediately=False,
                )
        # Functions received secret ARNs as tokens before the secrets existed: set the real values now.
        lam = self.d.client("lambda")
        for f in self.of(FunctionState):
            if any(v.endswith(".arn}") for v in f.environment.values()):
                env = {k: self._value(v, self._api_url()) for k, v in f.environment.items()}
                lam.update_function_configuration(FunctionName=f.physical_id, Environment={"Variables": env})

    def _api_url(self) -> str:
        apis = self.of(ApiState)
        if not apis:
            return ""
        return f"https://{self.d.ids[apis[0].path]}.execute-api.{self.d.region}.amazonaws.com/{apis[0].stage}"

    # --- edge and cost -----------------------------------------------------------------------------------
    def _edge(self) -> None:
        acl_arn = None
        for w in self.of(WebAclState):
            acl_arn = self._waf(w)
        domain = ""
        for dist in self.of(DistributionState):
            domain = self._distribution(dist, acl_arn)
        for zone in self.of(HostedZoneState):
            r53 = self.d.client("route53")
            zid = r53.create_hosted_zone(Name=zone.name, CallerReference=f"archkit-{zone.physical_id}")[
                "HostedZone"
            ]["Id"].rsplit("/", 1)[-1]
            self.d.ids[zone.path] = zid
            r53.change_tags_for_resource(
                ResourceType="hostedzone", ResourceId=zid, AddTags=_tag_list(zone.tags)
            )
            changes = []
            for key, target in zone.records.items():
                rtype, name = key.split(" ", 1)
                if target == "edge.cdn" and domain:
                    alias = {
                        "HostedZoneId": CLOUDFRONT_ZONE,
                        "DNSName": domain,
                        "EvaluateTargetHealth": False,
                    }
                elif target in self.d.ids and f"{target}.zone" in self.d.ids:  # a load balancer
                    alias = {
                        "HostedZoneId": self.d.ids[f"{target}.zone"],
                        "DNSName": f"dualstack.{self.d.ids[target]}",
                        "EvaluateTargetHealth": False,
                    }
                else:
                    continue
                changes.append(
                    {
                        "Action": "CREATE",
                        "ResourceRecordSet": {"Name": name, "Type": rtype, "AliasTarget": alias},
                    }
                )
            if changes:
                r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": changes})

    def _waf(self, w: WebAclState) -> str:
        waf = self.d.client("wafv2", "us-east-1")
        rules: list[dict[str, Any]] = []

        def add(name: str, statement: dict[str, Any], block: bool) -> None:
            rule: dict[str, Any] = {
                "Name": name,
                "Priority": len(rules),
                "Statement": statement,
                "VisibilityConfig": {
                    "SampledRequestsEnabled": True,
                    "CloudWatchMetricsEnabled": True,
                    "MetricName": name,
                },
            }
            rule["Action" if block else "OverrideAction"] = {"Block": {}} if block else {"None": {}}
            rules.append(rule)

        if w.rate_limit:
            add("RateLimit", {"RateBasedStatement": {"Limit": w.rate_limit, "AggregateKeyType": "IP"}}, True)
        if w.geo_block:
            add("GeoBlock", {"GeoMatchStatement": {"CountryCodes": w.geo_block}}, True)
        if w.blocked_ips:
            ip_set = waf.create_ip_set(
                Name=f"{w.physical_id}-blocked",
                Scope="CLOUDFRONT",
                IPAddressVersion="IPV4",
                Addresses=w.blocked_ips,
            )["Summary"]
            add("BlockedIps", {"IPSetReferenceStatement": {"ARN": ip_set["ARN"]}}, True)
        for group in w.managed_rule_groups:
            vendor, name = group.split("/", 1)
            add(name, {"ManagedRuleGroupStatement": {"VendorName": vendor, "Name": name}}, False)
        summary = waf.create_web_acl(
            Name=w.physical_id,
            Scope="CLOUDFRONT",
            DefaultAction={"Allow": {}} if w.default_action == "allow" else {"Block": {}},
            Rules=rules,
            VisibilityConfig={
                "SampledRequestsEnabled": True,
                "CloudWatchMetricsEnabled": True,
                "MetricName": w.physical_id,
            },
            Tags=_tag_list(w.tags),
        )["Summary"]
        self.d.ids[w.path], self.d.arns[w.path] = summary["Id"], summary["ARN"]
        return str(summary["ARN"])

    def _distribution(self, dist: DistributionState, acl_arn: str | None) -> str:
        cf = self.d.client("cloudfront", "us-east-1")
        origins: list[dict[str, Any]] = []
        ids: dict[str, str] = {}
        for target, path in dist.origins.items():
            if target == API_ORIGIN:
                domain = f"{self.d.ids[target]}.execute-api.{self.d.region}.amazonaws.com"
                origins.append(
                    {
                        "Id": "api",
                        "DomainName": domain,
                        "OriginPath": path,
                        "CustomOriginConfig": {
                            "HTTPPort": 80,
                            "HTTPSPort": 443,
                            "OriginProtocolPolicy": "https-only",
                        },
                    }
                )
            else:
                domain = f"{self.by_path[target].physical_id}.s3.{self.d.region}.amazonaws.com"
                origins.append(
                    {
                        "Id": target,
                        "DomainName": domain,
                        "OriginPath": path,
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                )
            ids[target] = origins[-1]["Id"]

        def behavior(target: str, pattern: str | None = None) -> dict[str, Any]:
            out: dict[str, Any] = {
                "TargetOriginId": ids[target],
                "ViewerProtocolPolicy": dist.viewer_protocol,
                "Compress": dist.compression,
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            }
            if pattern is not None:
                out["PathPattern"] = pattern
            return out

        config: dict[str, Any] = {
            "CallerReference": dist.physical_id,
            "Comment": dist.physical_id,
            "Enabled": dist.enabled,
            "Aliases": {"Quantity": len(dist.aliases), "Items": dist.aliases},
            "Origins": {"Quantity": len(origins), "Items": origins},
            "DefaultCacheBehavior": behavior(dist.default_origin),
            "CacheBehaviors": {
                "Quantity": len(dist.behaviors),
                "Items": [behavior(t, p) for p, t in dist.behaviors.items()],
            },
            "DefaultRootObject": dist.default_root_object,
            "PriceClass": dist.price_class,
            "HttpVersion": dist.http_version,
            "ViewerCertificate": {
                "ACMCertificateArn": self.arn("acm", "certificate/archkit-emulator", "us-east-1"),
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": dist.minimum_tls,
            },
        }
        if dist.web_acl and acl_arn:
            config["WebACLId"] = acl_arn
        if dist.logging_bucket:
            config["Logging"] = {
                "Enabled": True,
                "IncludeCookies": False,
                "Bucket": f"{self.by_path[dist.logging_bucket].physical_id}.s3.amazonaws.com",
                "Prefix": "cloudfront/",
            }
        created = cf.create_distribution_with_tags(
            DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": _tag_list(dist.tags)}}
        )["Distribution"]
        self.d.ids[dist.path] = created["Id"]
        return str(created["DomainName"])

    def _budgets(self) -> None:
        budgets = [b for b in self.states if isinstance(b, BudgetState)]
        if not budgets:
            return
        client = self.d.client("budgets", "us-east-1")
        for b in budgets:
            client.create_budget(
                AccountId=self.d.account,
                Budget={
                    "BudgetName": b.physical_id,
                    "BudgetLimit": {"Amount": f"{b.amount:g}", "Unit": b.currency},
                    "TimeUnit": b.period,
                    "BudgetType": "COST",
                },
                NotificationsWithSubscribers=[
                    {
                        "Notification": {
                            "NotificationType": alert.split(" ")[0],
                            "ComparisonOperator": "GREATER_THAN",
                            "Threshold": float(alert.split(" ")[1]),
                            "ThresholdType": "PERCENTAGE",
                        },
                        "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "owner@example.com"}],
                    }
                    for alert in b.alerts
                ],
            )


def _architecture(instance_type: str) -> str:
    """Graviton instance families (`t4g`, `m7g`, `c6gn`...) run arm64 images."""
    family = instance_type.split(".", 1)[0]
    return "arm64" if "g" in family[2:] or family.startswith("a1") else "x86_64"


def _action(action: str, arns: dict[str, str]) -> dict[str, Any]:
    """A listener action from its state form (`fixed-response 404`, `forward <target group path>`)."""
    kind, _, arg = action.partition(" ")
    if kind == "forward":
        return {"Type": "forward", "TargetGroupArn": arns[arg]}
    if kind == "redirect":
        protocol, _, port = arg.partition(":")
        return {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": protocol, "Port": port, "StatusCode": "HTTP_301"},
        }
    return {
        "Type": "fixed-response",
        "FixedResponseConfig": {"StatusCode": arg, "ContentType": "text/plain", "MessageBody": "Not Found"},
    }


def lifecycle_rule(rule_id: str, r: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ID": rule_id,
        "Status": "Enabled" if r.enabled else "Disabled",
        "Filter": {"Prefix": r.prefix},
    }
    if r.transitions:
        out["Transitions"] = [{"Days": t.days, "StorageClass": t.storage_class} for t in r.transitions]
    if r.expiration_days:
        out["Expiration"] = {"Days": r.expiration_days}
    if r.noncurrent_expiration_days:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": r.noncurrent_expiration_days}
    if r.abort_incomplete_multipart_days:
        out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": r.abort_incomplete_multipart_days}
    return out


def ip_policy(cidrs: list[str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": cidrs}},
            },
        ],
    }


def provision(spec: ArchSpec, endpoint: str) -> Deployment:
    """Create the spec's system in the emulator at ``endpoint``, as a correct deployment would."""
    return Provisioner(spec, endpoint).run()


# Deliberate changes for the demo (`archkit emulate --change NAME`): one real finding each.
def _pitr_off(d: Deployment, spec: ArchSpec) -> None:
    name = spec.name_of(next(iter(spec.tables)))
    d.client("dynamodb").update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )


def _memory(d: Deployment, spec: ArchSpec) -> None:
    key = next(iter(spec.functions))
    d.client("lambda").update_function_configuration(
        FunctionName=spec.name_of(key), MemorySize=spec.functions[key].memory * 2
    )


def _public_access(d: Deployment, spec: ArchSpec) -> None:
    d.client("s3").delete_public_access_block(Bucket=spec.name_of(next(iter(spec.buckets))))


class ChangeNotApplicable(ValueError):
    """The spec has nothing a demo change could act on (e.g. `rds-public` without `rds.enabled`)."""


def _rds_public(d: Deployment, spec: ArchSpec) -> None:
    if not spec.rds.enabled:
        raise ChangeNotApplicable("the spec has no database (rds.enabled is false)")
    d.client("rds").modify_db_instance(
        DBInstanceIdentifier=spec.name_of("db"), PubliclyAccessible=True, ApplyImmediately=True
    )


DEMO_CHANGES: dict[str, Callable[[Deployment, ArchSpec], None]] = {
    "pitr-off": _pitr_off,
    "memory": _memory,
    "public-access-block": _public_access,
    "rds-public": _rds_public,
}
"""Name -> change made behind the spec's back (first table / function / bucket of the spec; the database)."""
