"""Lambda layers: the latest version of each, from one ListLayers."""

from __future__ import annotations

from typing import ClassVar

from archkit.spec import ArchSpec
from archkit.spec.inventory import Resource
from archkit.verify.kinds.base import (
    Kind,
    identity,
)
from archkit.verify.kinds.reading import (
    Context,
    paginate,
)
from archkit.verify.state import ResourceState, SortedSet


class LayerState(ResourceState):
    """The latest version of a Lambda layer (layers cannot be tagged)."""

    kind: ClassVar[str] = "layer"
    TAGGABLE: ClassVar[bool] = False
    description: str
    compatible_runtimes: SortedSet
    compatible_architectures: SortedSet


def _layer(spec: ArchSpec, res: Resource) -> list[ResourceState]:
    layer = spec.layers[res.path.split(".", 1)[1]]
    return [
        LayerState(
            **identity(spec, res, STATES[res.type]),
            description=layer.description,
            compatible_runtimes=list(layer.compatible_runtimes),
            compatible_architectures=list(layer.compatible_architectures),
        )
    ]


def collect(ctx: Context) -> None:
    wanted = ctx.wanted("AWS::Lambda::LayerVersion")
    if not wanted:
        return
    lam = ctx.aws.client("lambda")
    layers = {layer["LayerName"]: layer for layer in paginate(lam, "list_layers", "Layers")}
    for want in wanted:
        layer = layers.get(want.physical_id)
        if layer is None:
            continue
        latest = layer.get("LatestMatchingVersion", {})
        ctx.add(
            LayerState(
                path=want.path,
                resource_type=want.resource_type,
                physical_id=layer["LayerName"],
                arn=latest.get("LayerVersionArn"),
                ids=[layer["LayerArn"], latest.get("LayerVersionArn", "")],
                description=latest.get("Description", ""),
                compatible_runtimes=latest.get("CompatibleRuntimes", []),
                compatible_architectures=latest.get("CompatibleArchitectures", []),
            )
        )


STATES: dict[str, type[ResourceState]] = {
    "AWS::Lambda::LayerVersion": LayerState,
}

KIND = Kind(
    states=STATES,
    desired=_layer,
    collect=collect,
    reads={"lambda": ("ListLayers",)},
)
