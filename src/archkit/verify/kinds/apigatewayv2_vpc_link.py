"""API Gateway VPC links (v2), by name; tags come with the listing."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    group_paths,
    identity,
    private_subnet_paths,
)
from archkit.verify.kinds.reading import (
    Context,
)
from archkit.verify.state import ResourceState, SortedSet


class VpcLinkState(ResourceState):
    """An API Gateway VPC link (v2: REST API integrations name their load balancer themselves)."""

    kind: ClassVar[str] = "vpc_link"
    version: str
    subnets: SortedSet = Field(description="Spec paths of the subnets of its network interfaces.")
    security_groups: SortedSet


def _desired(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    return [
        VpcLinkState(
            **identity(spec, res, VpcLinkState),
            version="V2",
            subnets=private_subnet_paths(spec),
            security_groups=group_paths(spec.api.vpc_link.security_group),
        )
    ]


def collect(ctx: Context) -> None:
    """VPC links (v2) by name; tags come with the listing."""
    wanted = ctx.wanted("AWS::ApiGatewayV2::VpcLink")
    if not wanted:
        return
    v2 = ctx.aws.client("apigatewayv2")
    links: list[dict[str, Any]] = []
    token = None
    while True:  # GetVpcLinks has no botocore paginator
        page = v2.get_vpc_links(**({"NextToken": token} if token else {}))
        links += page.get("Items", [])
        token = page.get("NextToken")
        if not token:
            break
    by_name = {
        link["Name"]: link
        for link in links
        if link.get("VpcLinkStatus", "AVAILABLE") not in ("DELETING", "FAILED")
    }
    for want in wanted:
        link = by_name.get(want.physical_id)
        if link is None:
            continue
        ctx.add(
            VpcLinkState(
                path=want.path,
                resource_type=want.resource_type,
                physical_id=link["VpcLinkId"],
                ids=[link["VpcLinkId"]],
                tags=link.get("Tags") or {},
                version=link.get("VpcLinkVersion", "V2"),
                subnets=link.get("SubnetIds", []),
                security_groups=link.get("SecurityGroupIds", []),
            )
        )


STATES: dict[str, type[ResourceState]] = {
    "AWS::ApiGatewayV2::VpcLink": VpcLinkState,
}

KIND = Kind(
    states=STATES,
    desired=_desired,
    collect=collect,
    reads={"apigatewayv2": ("GetVpcLinks",)},
)
