"""The intrinsic functions of one stack's template, resolved as CloudFormation does at deploy time."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from archkit.emulate.assembly import StackArtifact
from archkit.emulate.registry import DeployError

if TYPE_CHECKING:
    from archkit.emulate.deploy import Executor

PSEUDO_DEFAULTS = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": []}

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
