"""A small CloudFormation executor for tests: deploy a CDK cloud assembly into a moto server, faithfully.

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
- each resource type is created by one handler (``cfn_handlers.py``) with direct boto3 calls that apply the
  properties as CloudFormation would. A type without a handler is an error, unless it is listed in
  ``SKIPPED`` with the reason nothing verify reads depends on it. Where moto cannot hold what the template
  asks for, or needs a detour to accept it, the handler records a ``Gap`` (never silently).
- CDK's custom resources (log retention, cross-region exports through SSM) are not run: their handlers apply
  the effect the provider function would have (the provider function itself is created like any other).

Physical names CloudFormation generates (a role without ``RoleName``) follow its pattern
``{stack}-{logical id}-{suffix}``, with a deterministic suffix. The stack-level ``aws:cloudformation:*`` tags
CloudFormation adds are not (AWS reserves the prefix; verify drops ``aws:*`` tags when comparing).
"""

from __future__ import annotations

import base64
import contextlib
import graphlib
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

FAKE_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}
BOOTSTRAP_QUALIFIER = "hnb659fds"
BOOTSTRAP_VERSION = "27"
"""What ``cdk bootstrap`` (modern template) leaves in SSM: the templates' rule requires version >= 6."""

PSEUDO_DEFAULTS = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": []}


class DeployError(Exception):
    """The template asks for something this executor cannot do faithfully."""


@dataclass(frozen=True)
class Gap:
    """Where the emulator needed help: a property it cannot hold, or one it accepts only by a detour."""

    stack: str
    logical_id: str
    resource_type: str
    property: str
    reason: str


@dataclass
class Created:
    """What a handler returns: the value of ``Ref`` and the ``Fn::GetAtt`` attributes."""

    ref: str
    attrs: dict[str, Any] = field(default_factory=dict)


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


@dataclass
class StackArtifact:
    name: str
    region: str
    template: dict[str, Any]
    dependencies: list[str]
    assets_file: Path | None


@dataclass
class Assembly:
    """A CDK cloud assembly directory (``cdk.out``)."""

    directory: Path
    stacks: list[StackArtifact]

    @classmethod
    def read(cls, directory: Path) -> Assembly:
        manifest = json.loads((directory / "manifest.json").read_text())
        artifacts = manifest["artifacts"]
        stacks: dict[str, StackArtifact] = {}
        for name, art in artifacts.items():
            if art.get("type") != "aws:cloudformation:stack":
                continue
            region = art["environment"].rsplit("/", 1)[-1]
            if region == "unknown-region":
                raise DeployError(
                    f"stack {name} has no region (environment-agnostic stacks are not supported)"
                )
            deps = [d for d in art.get("dependencies", []) if artifacts.get(d, {}).get("type") == art["type"]]
            assets = [
                d
                for d in art.get("dependencies", [])
                if artifacts.get(d, {}).get("type") == "cdk:asset-manifest"
            ]
            assets_file = directory / artifacts[assets[0]]["properties"]["file"] if assets else None
            template = json.loads((directory / art["properties"]["templateFile"]).read_text())
            stacks[name] = StackArtifact(name, region, template, deps, assets_file)
        order = graphlib.TopologicalSorter({n: s.dependencies for n, s in stacks.items()})
        return cls(directory, [stacks[n] for n in order.static_order()])


Handler = Callable[["ResourceContext", dict[str, Any]], Created]
HANDLERS: dict[str, Handler] = {}
SKIPPED: dict[str, str] = {}


def handler(*types: str) -> Callable[[Handler], Handler]:
    """Register the handler creating the given CloudFormation types."""

    def register(fn: Handler) -> Handler:
        for t in types:
            if t in HANDLERS:
                raise RuntimeError(f"two handlers for {t}")
            HANDLERS[t] = fn
        return fn

    return register


def skip(resource_type: str, reason: str) -> None:
    """A type whose effect nothing verify reads depends on: recorded as skipped with the reason."""
    SKIPPED[resource_type] = reason


@dataclass
class ResourceContext:
    """What a handler sees: its stack, region, account, logical id, tags and boto3 clients."""

    executor: Executor
    stack: str
    region: str
    logical_id: str
    resource_type: str

    @property
    def account(self) -> str:
        return self.executor.account

    def client(self, service: str, region: str | None = None) -> Any:
        return self.executor.client(service, region or self.region)

    def arn(self, service: str, resource: str, region: str | None = None, account: str | None = None) -> str:
        reg = self.region if region is None else region
        acct = self.account if account is None else account
        return f"arn:aws:{service}:{reg}:{acct}:{resource}"

    def physical_name(self, max_length: int = 64, lowercase: bool = False) -> str:
        """The name CloudFormation generates for a resource without an explicit name."""
        suffix = hashlib.sha256(f"{self.stack}/{self.logical_id}".encode()).hexdigest()[:12].upper()
        room = max_length - len(suffix) - 2
        stack_part = self.stack[: max(room // 2, room - len(self.logical_id))]
        logical_part = self.logical_id[: room - len(stack_part)]
        name = f"{stack_part}-{logical_part}-{suffix}"
        return name.lower() if lowercase else name

    def tags(self, props: dict[str, Any], key: str = "Tags") -> list[dict[str, str]]:
        """The template's tags as a Key/Value list (what CloudFormation applies)."""
        return [{"Key": t["Key"], "Value": str(t["Value"])} for t in props.get(key) or []]

    def tag_dict(self, props: dict[str, Any], key: str = "Tags") -> dict[str, str]:
        return {t["Key"]: t["Value"] for t in self.tags(props, key)}

    def gap(self, prop: str, reason: str) -> None:
        self.executor.gaps.append(Gap(self.stack, self.logical_id, self.resource_type, prop, reason))

    def deployed(self, logical_id: str) -> DeployedResource:
        return self.executor.resources[(self.stack, logical_id)]


class Executor:
    """Deploys cloud assemblies into one account of a moto server."""

    def __init__(self, endpoint: str, credentials: dict[str, str] | None = None) -> None:
        self.endpoint = endpoint
        self.credentials = credentials or FAKE_CREDENTIALS
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
    def deploy(self, assembly: Assembly) -> None:
        import cfn_handlers  # noqa: F401  (registers the handlers)

        for stack in assembly.stacks:
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

    # --- lookups for tests ---------------------------------------------------------------------------------
    def of_type(self, resource_type: str) -> list[DeployedResource]:
        return [r for r in self.resources.values() if r.type == resource_type]

    def skipped(self) -> dict[str, str]:
        return {
            f"{r.stack}/{r.logical_id}": f"{r.type}: {r.skipped}"
            for r in self.resources.values()
            if r.skipped
        }


_SUB = re.compile(r"\$\{([^}]+)\}")
_DYNAMIC = re.compile(r"\{\{resolve:([^}]+)\}\}")
_INTRINSICS = frozenset(
    {
        "Ref",
        "Fn::GetAtt",
        "Fn::Sub",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::If",
        "Fn::Equals",
        "Fn::And",
        "Fn::Or",
        "Fn::Not",
        "Fn::FindInMap",
        "Fn::ImportValue",
        "Fn::GetAZs",
        "Fn::Base64",
        "Fn::Contains",
        "Condition",
    }
)
NO_VALUE = object()


class Scope:
    """Resolves the intrinsic functions of one stack's template."""

    def __init__(self, executor: Executor, stack: StackArtifact) -> None:
        self.x = executor
        self.stack = stack
        self.tpl = stack.template
        self.pseudo: dict[str, Any] = {
            **PSEUDO_DEFAULTS,
            "AWS::AccountId": executor.account,
            "AWS::Region": stack.region,
            "AWS::StackName": stack.name,
            "AWS::StackId": f"arn:aws:cloudformation:{stack.region}:{executor.account}:stack/{stack.name}/"
            + hashlib.sha256(stack.name.encode()).hexdigest()[:32],
        }
        self.parameters = {
            name: self._parameter(name, p) for name, p in (self.tpl.get("Parameters") or {}).items()
        }
        self._conditions: dict[str, bool] = {}

    def _parameter(self, name: str, p: dict[str, Any]) -> Any:
        if "Default" not in p:
            raise DeployError(f"{self.stack.name}: parameter {name} has no default and no value is given")
        value = p["Default"]
        if str(p.get("Type", "")).startswith("AWS::SSM::Parameter::Value<"):
            ssm = self.x.client("ssm", self.stack.region)
            return ssm.get_parameter(Name=value)["Parameter"]["Value"]
        return value

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = bool(self.resolve(self.tpl["Conditions"][name]))
        return self._conditions[name]

    def dependencies(self, res: dict[str, Any]) -> set[str]:
        """Logical ids a resource needs first: DependsOn plus every reference in its properties."""
        deps = res.get("DependsOn", [])
        out = set([deps] if isinstance(deps, str) else deps)
        resources = self.tpl.get("Resources", {})

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                if len(value) == 1:
                    ((fn, arg),) = value.items()
                    if fn == "Ref" and arg in resources:
                        out.add(arg)
                    elif fn == "Fn::GetAtt":
                        target = arg[0] if isinstance(arg, list) else arg.split(".", 1)[0]
                        out.add(target)
                    elif fn == "Fn::Sub":
                        text = arg[0] if isinstance(arg, list) else arg
                        for ref in _SUB.findall(text):
                            head = ref.split(".", 1)[0]
                            if head in resources and not ref.startswith("!"):
                                out.add(head)
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(res.get("Properties", {}))
        return out

    def _ref(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        res = self.x.resources.get((self.stack.name, name))
        if res is None:
            raise DeployError(f"{self.stack.name}: Ref to {name}, which is not deployed (or not a resource)")
        if res.skipped:
            raise DeployError(f"{self.stack.name}: Ref to skipped resource {name} ({res.skipped})")
        return res.ref

    def _getatt(self, logical_id: str, attr: str) -> Any:
        res = self.x.resources.get((self.stack.name, logical_id))
        if res is None or res.skipped:
            raise DeployError(f"{self.stack.name}: Fn::GetAtt {logical_id}.{attr}: resource not deployed")
        if attr not in res.attrs:
            raise DeployError(
                f"{self.stack.name}: Fn::GetAtt {logical_id}.{attr}: unknown to the {res.type} handler"
            )
        return res.attrs[attr]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str) and "{{resolve:" in value:
            return _DYNAMIC.sub(self._dynamic_reference, value)
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((fn, arg),) = value.items()
            if fn in _INTRINSICS and not (fn == "Condition" and not isinstance(arg, str)):
                return self._intrinsic(fn, arg)
            if fn.startswith("Fn::"):
                raise DeployError(f"{self.stack.name}: unsupported intrinsic {fn}")
        out = {}
        for k, v in value.items():
            r = self.resolve(v)
            if r is not NO_VALUE:
                out[k] = r
        return out

    def _intrinsic(self, fn: str, arg: Any) -> Any:
        if fn == "Ref":
            return self._ref(arg)
        if fn == "Condition":
            return self.condition(arg)
        if fn == "Fn::GetAtt":
            logical_id, attr = arg if isinstance(arg, list) else arg.split(".", 1)
            return self._getatt(logical_id, self.resolve(attr))
        if fn == "Fn::Join":
            sep, items = arg
            return self.resolve(sep).join(str(i) for i in self.resolve(items))
        if fn == "Fn::Select":
            index, items = self.resolve(arg)
            return items[int(index)]
        if fn == "Fn::Split":
            sep, text = self.resolve(arg)
            return text.split(sep)
        if fn == "Fn::Sub":
            return self._sub(arg)
        if fn == "Fn::If":
            name, yes, no = arg
            return self.resolve(yes if self.condition(name) else no)
        if fn == "Fn::Equals":
            a, b = self.resolve(arg)
            return a == b
        if fn == "Fn::And":
            return all(self.resolve(arg))
        if fn == "Fn::Or":
            return any(self.resolve(arg))
        if fn == "Fn::Not":
            return not self.resolve(arg)[0]
        if fn == "Fn::Contains":
            items, item = self.resolve(arg)
            return item in items
        if fn == "Fn::FindInMap":
            mapping, top, second = self.resolve(arg)
            return self.tpl["Mappings"][mapping][top][second]
        if fn == "Fn::ImportValue":
            name = self.resolve(arg)
            if name not in self.x.exports:
                raise DeployError(f"{self.stack.name}: Fn::ImportValue {name}: no stack exports it")
            return self.x.exports[name]
        if fn == "Fn::GetAZs":
            region = self.resolve(arg) or self.stack.region
            zones = self.x.client("ec2", region).describe_availability_zones()["AvailabilityZones"]
            return sorted(z["ZoneName"] for z in zones)
        if fn == "Fn::Base64":
            return base64.b64encode(str(self.resolve(arg)).encode()).decode()
        raise DeployError(f"{self.stack.name}: unsupported intrinsic {fn}")

    def _dynamic_reference(self, match: re.Match[str]) -> str:
        """`{{resolve:ssm:name}}` and `{{resolve:secretsmanager:id[:SecretString[:key]]}}`, read as
        CloudFormation reads them at deploy time."""
        service, _, rest = match.group(1).partition(":")
        if service == "ssm":
            ssm = self.x.client("ssm", self.stack.region)
            return str(ssm.get_parameter(Name=rest.split(":", 1)[0])["Parameter"]["Value"])
        if service == "secretsmanager":
            secret_id, _, field = rest.partition(":SecretString:")
            value = self.x.client("secretsmanager", self.stack.region).get_secret_value(SecretId=secret_id)
            text = str(value["SecretString"])
            key = field.split(":", 1)[0]
            return str(json.loads(text)[key]) if key else text
        raise DeployError(f"{self.stack.name}: unsupported dynamic reference {match.group(0)}")

    def _sub(self, arg: Any) -> str:
        text, variables = (arg[0], self.resolve(arg[1])) if isinstance(arg, list) else (arg, {})

        def one(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref.startswith("!"):
                return "${" + ref[1:] + "}"
            if ref in variables:
                return str(variables[ref])
            if "." in ref and ref.split(".", 1)[0] in self.tpl.get("Resources", {}):
                logical_id, attr = ref.split(".", 1)
                return str(self._getatt(logical_id, attr))
            return str(self._ref(ref))

        return _SUB.sub(one, text)


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


def deploy_assembly(cdk_out: Path, endpoint: str, credentials: dict[str, str] | None = None) -> Executor:
    """Deploy every stack of the cloud assembly at ``cdk_out`` into the moto server at ``endpoint``."""
    executor = Executor(endpoint, credentials)
    executor.deploy(Assembly.read(cdk_out))
    return executor
