"""The API's regional custom domain name (`api.domain`) with its base path mappings, by domain name."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import API_ORIGIN, Kind, identity
from archkit.verify.kinds.reading import Context, Unreadable, paginate
from archkit.verify.state import ResourceState

ROOT_BASE_PATH = "(none)"
"""How API Gateway names the root base path (the spec writes it as '')."""


class ApiDomainState(ResourceState):
    kind: ClassVar[str] = "api_domain"
    endpoint_type: str
    security_policy: str
    base_paths: dict[str, str] = Field(
        description="Base path (`(none)` for the root) -> `<rest api path> <stage>` it maps to."
    )


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    domain = spec.api.domain
    assert domain is not None
    return [
        ApiDomainState(
            **identity(spec, res, ApiDomainState),
            endpoint_type="REGIONAL",
            security_policy=domain.security_policy,
            base_paths={(b or ROOT_BASE_PATH): f"{API_ORIGIN} {spec.api.stage}" for b in domain.base_paths},
        )
    ]


def collect(ctx: Context) -> None:
    want = next(iter(ctx.wanted("AWS::ApiGateway::DomainName")), None)
    if want is None:
        return
    apigw = ctx.aws.client("apigateway")
    domains = {d["domainName"]: d for d in paginate(apigw, "get_domain_names", "items")}
    domain = domains.get(want.physical_id)
    if domain is None:
        return
    u = Unreadable()
    mappings: list[dict[str, Any]] = (
        u.read(
            "base_paths",
            lambda: paginate(apigw, "get_base_path_mappings", "items", domainName=want.physical_id),
            "NotFoundException",
        )
        or []
    )
    apis = {a["id"]: a for a in paginate(apigw, "get_rest_apis", "items")}
    api_paths = ctx.path_by_name("AWS::ApiGateway::RestApi")

    def target(mapping: dict[str, Any]) -> str:
        name = (apis.get(mapping.get("restApiId", "")) or {}).get("name", "")
        return f"{api_paths.get(name, mapping.get('restApiId', ''))} {mapping.get('stage', '')}"

    ctx.add(
        ApiDomainState(
            path=want.path,
            resource_type=want.resource_type,
            physical_id=domain["domainName"],
            # The alias records of the zone point at the regional domain name.
            ids=[domain["domainName"], *[domain[k] for k in ("regionalDomainName",) if domain.get(k)]],
            unreadable=u.reasons,
            tags=domain.get("tags") or {},
            endpoint_type=((domain.get("endpointConfiguration") or {}).get("types") or ["EDGE"])[0],
            security_policy=domain.get("securityPolicy", "TLS_1_0"),
            base_paths={m.get("basePath", ROOT_BASE_PATH): target(m) for m in mappings},
        )
    )


STATES: dict[str, type[ResourceState]] = {
    "AWS::ApiGateway::DomainName": ApiDomainState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"apigateway": ("GetDomainNames", "GetBasePathMappings", "GetRestApis")},
    security=frozenset({"security_policy"}),
)
