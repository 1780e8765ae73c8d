"""``lambda``: per function handler → business logic → data access, with layers, environment and secrets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.diagram.model import View, ViewBuilder
from archkit.diagram.views.common import access_label, wrap
from archkit.spec.naming import secret_env_var

if TYPE_CHECKING:
    from archkit.spec.system import ArchSpec


def build(spec: ArchSpec) -> View:
    b = ViewBuilder("lambda", "Lambda Function Architecture", "LR")

    if spec.layers:
        b.group("layers", "Lambda layers", kind="layers", ref=None)
        for key, layer in spec.layers.items():
            b.node(
                f"layers.{key}",
                key,
                "layer",
                group="layers",
                details=[*wrap(layer.description, 28), "/".join(layer.compatible_architectures)],
            )

    for key, fn in spec.functions.items():
        path = f"functions.{key}"
        placement = (
            "VPC, sg " + ", ".join(fn.security_groups)
            if fn.vpc and fn.security_groups
            else ("VPC" if fn.vpc else "no VPC")
        )
        b.group(f"function#{key}", f"Lambda function {key}", kind="function", ref=None)
        b.node(
            path,
            key,
            "lambda",
            group=f"function#{key}",
            details=[
                f"handler {fn.handler}",
                f"{fn.runtime} · {fn.architecture}",
                f"{fn.memory} MB · {fn.timeout} s"
                + ("" if fn.reserved_concurrency is None else f" · reserved {fn.reserved_concurrency}"),
                placement,
            ],
        )
        b.node(
            f"{path}.description",
            "Business logic",
            "feature",
            group=f"function#{key}",
            details=wrap(fn.description or "(no description)", 30),
        )
        b.edge(path, f"{path}.description", "calls")
        grants = [
            f"{store}: {access_label(g.access)}" + (f" {', '.join(g.prefixes)}" if g.prefixes else "")
            for store, g in fn.grants.items()
        ]
        b.node(
            f"{path}.grants",
            "Data access layer",
            "feature",
            group=f"function#{key}",
            details=grants or ["(no data store)"],
        )
        b.edge(f"{path}.description", f"{path}.grants", "calls")
        # Layers, environment and secrets, as the seed draws them inside the function.
        config = [f"Layers: {', '.join(fn.layers) or '-'}"]
        config += [f"Env: {name}" for name in fn.environment]
        config += [f"Secret {s}: {secret_env_var(s)}" for s in fn.secrets]
        b.node(
            f"{path}.environment",
            "Layers · environment · secrets",
            "note",
            group=f"function#{key}",
            details=config,
        )
        b.order(path, f"{path}.environment")

    stores = [f"tables.{k}" for k in spec.tables] + [f"buckets.{k}" for k in spec.buckets]
    used = [s for s in stores if any(s in fn.grants for fn in spec.functions.values())]
    if used:
        b.group("data", "Data stores", kind="data", ref=None)
        for store in used:
            kind, _, name = store.partition(".")
            b.node(
                store,
                name,
                "dynamodb" if kind == "tables" else "s3",
                group="data",
                details=[spec.name_of(name)],
            )
    for key, fn in spec.functions.items():
        for store, grant in fn.grants.items():
            label = access_label(grant.access)
            b.edge(f"functions.{key}.grants", store, label, kind=label)

    if spec.secrets:
        b.group("secrets", "Secrets (Secrets Manager)", kind="secrets", ref=None)
        for key, secret in spec.secrets.items():
            rotation = f"rotated every {secret.rotation.days} d" if secret.rotation else "not rotated"
            b.node(
                f"secrets.{key}",
                key,
                "secret",
                group="secrets",
                details=[*wrap(secret.description, 28), rotation],
            )
        for key, secret in spec.secrets.items():
            if secret.rotation:
                b.edge(f"functions.{secret.rotation.function}", f"secrets.{key}", "rotates", kind="writes")
    return b.build()
