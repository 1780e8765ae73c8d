"""Deploy a CDK cloud assembly into a moto server, faithfully.

moto's own CloudFormation drops properties and skips whole resource types, so it cannot stand in for a real
deployment. This executor does the CloudFormation part itself and leaves the services to moto:

- reads ``manifest.json`` of a cloud assembly: stacks with their region, deployed in dependency order;
- does what ``cdk bootstrap`` + ``cdk deploy`` do before CloudFormation runs: creates the bootstrap assets
  bucket and version parameter, and publishes the file assets (directories zipped, files as they are);
- per stack: parameters (SSM-typed ones read from SSM), conditions, rules, then every resource in dependency
  order (``DependsOn`` and every ``Ref`` / ``Fn::GetAtt`` / ``Fn::Sub`` reference), its properties resolved
  (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals/And/Or/Not, Fn::FindInMap,
  Fn::ImportValue, Fn::GetAZs, Fn::Base64, Fn::Contains, pseudo parameters, ``{{resolve:ssm|secretsmanager}}``
  dynamic references); outputs and exports last;
- each resource type is created by one handler (``handlers/<service>.py``) with direct boto3 calls that
  apply the properties as CloudFormation would. A type without a handler is an error, unless it is listed
  in ``capabilities.SKIPPED_TYPES`` with the reason nothing verify reads depends on it.
  Where moto cannot hold what the template asks for, or needs a detour to accept it, the handler records a
  ``Gap`` (never silently; ``capabilities.DEPLOY_GAPS`` says why each one is fine).
- CDK's custom resources (log retention, cross-region exports through SSM) are not run: their handlers apply
  the effect the provider function would have (the provider function itself is created like any other).

Physical names CloudFormation generates (a role without ``RoleName``) follow its pattern
``{stack}-{logical id}-{suffix}``, with a deterministic suffix. The stack-level ``aws:cloudformation:*`` tags
CloudFormation adds are not (AWS reserves the prefix; verify drops ``aws:*`` tags when comparing).
"""

from __future__ import annotations

import contextlib
import graphlib
import io
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from archkit.emulate.assembly import Assembly, StackArtifact
from archkit.emulate.intrinsics import Scope
from archkit.emulate.registry import HANDLERS, SKIPPED, DeployError, Gap, ResourceContext
from archkit.emulate.server import FAKE_CREDENTIALS
from archkit.spec.naming import ID_TAG

Progress = Callable[[StackArtifact], None]
"""Called before each stack is deployed."""

BOOTSTRAP_QUALIFIER = "hnb659fds"
BOOTSTRAP_VERSION = "27"
"""What ``cdk bootstrap`` (modern template) leaves in SSM: the templates' rule requires version >= 6."""


@dataclass
class DeployedResource:
    stack: str
    logical_id: str
    type: str
    region: str
    ref: str | None
    attrs: dict[str, Any]
    properties: dict[str, Any]
    skipped: str | None = None


class Executor:
    """Deploys cloud assemblies into one account of a moto server."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.credentials = {k.lower(): v for k, v in FAKE_CREDENTIALS.items()}
        self._clients: dict[tuple[str, str], Any] = {}
        self.account = self.client("sts", "us-east-1").get_caller_identity()["Account"]
        self.exports: dict[str, Any] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.resources: dict[tuple[str, str], DeployedResource] = {}
        self.gaps: list[Gap] = []
        self._bootstrapped: set[str] = set()

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            factory: Any = boto3.client  # typed per service name; the name is a variable here
            self._clients[key] = factory(
                service,
                region_name=region,
                endpoint_url=self.endpoint,
                config=Config(retries={"mode": "standard", "max_attempts": 3}),
                **self.credentials,
            )
        return self._clients[key]

    # --- cdk bootstrap + asset publishing ------------------------------------------------------------------
    def bootstrap(self, region: str) -> None:
        """What ``cdk bootstrap`` leaves in an environment that deploys read: assets bucket, version."""
        if region in self._bootstrapped:
            return
        s3 = self.client("s3", region)
        bucket = f"cdk-{BOOTSTRAP_QUALIFIER}-assets-{self.account}-{region}"
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):  # bootstrapping is idempotent
            s3.create_bucket(**kwargs)
        self.client("ssm", region).put_parameter(
            Name=f"/cdk-bootstrap/{BOOTSTRAP_QUALIFIER}/version",
            Value=BOOTSTRAP_VERSION,
            Type="String",
            Overwrite=True,
        )
        self._bootstrapped.add(region)

    def publish_assets(self, assembly: Assembly, stack: StackArtifact) -> None:
        if stack.assets_file is None:
            return
        manifest = json.loads(stack.assets_file.read_text())
        if manifest.get("dockerImages"):
            raise DeployError(f"{stack.name}: docker image assets are not supported")
        for asset in manifest.get("files", {}).values():
            source = assembly.directory / asset["source"]["path"]
            if asset["source"].get("packaging") == "zip":
                body = zip_directory(source)
            elif source.is_dir():
                raise DeployError(f"{stack.name}: file asset {source} is a directory")
            else:
                body = source.read_bytes()
            for dest in asset["destinations"].values():
                region = dest.get("region", stack.region)
                self.bootstrap(region)
                bucket = self._placeholders(dest["bucketName"], region)
                self.client("s3", region).put_object(Bucket=bucket, Key=dest["objectKey"], Body=body)

    def _placeholders(self, text: str, region: str) -> str:
        return (
            text.replace("${AWS::AccountId}", self.account)
            .replace("${AWS::Region}", region)
            .replace("${AWS::Partition}", "aws")
        )

    # --- deploy --------------------------------------------------------------------------------------------
    def deploy(self, assembly: Assembly, progress: Progress | None = None) -> None:
        import archkit.emulate.handlers  # noqa: F401  (registers the handlers)

        for stack in assembly.stacks:
            if progress is not None:
                progress(stack)
            self.bootstrap(stack.region)
            self.publish_assets(assembly, stack)
            self.deploy_stack(stack)

    def deploy_stack(self, stack: StackArtifact) -> None:
        tpl = stack.template
        unknown = set(tpl) - {
            "AWSTemplateFormatVersion",
            "Description",
            "Parameters",
            "Conditions",
            "Rules",
            "Mappings",
            "Resources",
            "Outputs",
            "Metadata",
            "Transform",
        }
        if unknown or tpl.get("Transform"):
            raise DeployError(
                f"{stack.name}: unsupported template sections {sorted(unknown) or ['Transform']}"
            )
        scope = Scope(self, stack)
        for rule_name, rule in (tpl.get("Rules") or {}).items():
            if "RuleCondition" in rule and not scope.resolve(rule["RuleCondition"]):
                continue
            for assertion in rule.get("Assertions", []):
                if not scope.resolve(assertion["Assert"]):
                    raise DeployError(
                        f"{stack.name}: rule {rule_name} failed: {assertion.get('AssertDescription')}"
                    )
        resources = tpl.get("Resources", {})
        graph = {lid: scope.dependencies(res) for lid, res in resources.items()}
        for lid in graphlib.TopologicalSorter(graph).static_order():
            res = resources[lid]
            rtype = res["Type"]
            if "Condition" in res and not scope.condition(res["Condition"]):
                continue
            key = (stack.name, lid)
            if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
                fn = HANDLERS.get(rtype) or HANDLERS.get("Custom::*")
            else:
                fn = HANDLERS.get(rtype)
            if fn is None:
                if rtype in SKIPPED:  # its properties are kept unresolved: they may name other skipped ones
                    self.resources[key] = DeployedResource(
                        stack.name,
                        lid,
                        rtype,
                        stack.region,
                        None,
                        {},
                        res.get("Properties", {}),
                        SKIPPED[rtype],
                    )
                    continue
                raise DeployError(f"{stack.name}/{lid}: no handler for {rtype} and not listed as skipped")
            props = scope.resolve(res.get("Properties", {}))
            ctx = ResourceContext(self, stack.name, stack.region, lid, rtype)
            try:
                created = fn(ctx, props)
            except DeployError:
                raise
            except Exception as exc:
                raise DeployError(f"{stack.name}/{lid} ({rtype}): {type(exc).__name__}: {exc}") from exc
            self.resources[key] = DeployedResource(
                stack.name, lid, rtype, stack.region, created.ref, created.attrs, props
            )
        outputs: dict[str, Any] = {}
        for name, out in (tpl.get("Outputs") or {}).items():
            if "Condition" in out and not scope.condition(out["Condition"]):
                continue
            value = scope.resolve(out["Value"])
            outputs[name] = value
            if "Export" in out:
                export = scope.resolve(out["Export"]["Name"])
                if export in self.exports:
                    raise DeployError(f"{stack.name}: export {export} already exists")
                self.exports[export] = value
        self.outputs[stack.name] = outputs

    # --- lookups ---------------------------------------------------------------------------------
    def of_type(self, resource_type: str) -> list[DeployedResource]:
        return [r for r in self.resources.values() if r.type == resource_type]

    def tagged(self, resource_type: str, spec_path: str) -> DeployedResource:
        """The one resource of a type whose template tags name ``spec_path`` (``archkit:id``)."""
        found = [r for r in self.of_type(resource_type) if _id_tag(r.properties) == spec_path]
        if len(found) != 1:
            raise LookupError(f"{len(found)} {resource_type} tagged {ID_TAG}={spec_path}")
        return found[0]

    def skipped(self) -> dict[str, str]:
        return {
            f"{r.stack}/{r.logical_id}": f"{r.type}: {r.skipped}"
            for r in self.resources.values()
            if r.skipped
        }


def _id_tag(props: dict[str, Any]) -> str | None:
    tags = props.get("Tags") or props.get("HostedZoneTags") or props.get("ResourceTags") or []
    if not tags and props.get("Replicas"):  # a global table tags each replica
        tags = props["Replicas"][0].get("Tags") or []
    if isinstance(tags, dict):
        return tags.get(ID_TAG)
    return next((t["Value"] for t in tags if t.get("Key") == ID_TAG), None)


def zip_directory(directory: Path) -> bytes:
    """A deterministic zip of a directory (what ``cdk deploy`` uploads for a zip asset)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for root, dirs, files in os.walk(directory):
            dirs.sort()
            for name in sorted(files):
                path = Path(root) / name
                info = zipfile.ZipInfo(
                    path.relative_to(directory).as_posix(), date_time=(1980, 1, 1, 0, 0, 0)
                )
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def deploy_assembly(cdk_out: Path, endpoint: str, progress: Progress | None = None) -> Executor:
    """Deploy every stack of the cloud assembly at ``cdk_out`` into the emulator at ``endpoint``."""
    executor = Executor(endpoint)
    executor.deploy(Assembly.read(cdk_out), progress)
    return executor
