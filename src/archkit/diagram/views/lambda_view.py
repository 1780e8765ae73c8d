"""``lambda``: one function's anatomy as the seed draws it; every function is listed in the docs table.

Handler → business logic → data access (the function's ``tiers``), the layers it loads with data access
→ the database drivers, its environment and secrets, and the data stores it reaches (tables, buckets, RDS).
Nine near-identical anatomies would not fit a page; the function shown is the one touching most stores.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from archkit.diagram.model import View, ViewBuilder
from archkit.diagram.views.common import access_label, grid, plural, wrap
from archkit.spec.naming import secret_env_var

if TYPE_CHECKING:
    from archkit.spec.compute import FunctionSpec
    from archkit.spec.system import ArchSpec

TIER_LABELS = {
    "handler": "Handler layer",
    "business_logic": "Business logic",
    "data_access": "Data access layer",
}
DRIVER_WORDS = ("driver", "database", "postgres", "mysql")
"""A layer whose description says one of these provides the database drivers (data access imports it)."""


def showcase(spec: ArchSpec) -> str | None:
    """The function drawn: the one using the database, then the one with most grants, layers and secrets."""
    if not spec.functions:
        return None

    def weight(key: str) -> tuple[int, int, int]:
        fn = spec.functions[key]
        return (int(fn.database), len(fn.grants) + len(fn.secrets), len(fn.layers))

    return max(spec.functions, key=weight)


def build(spec: ArchSpec) -> list[View]:
    """The anatomy of one function and the table of every function, layer and secret."""
    views = [anatomy(spec)]
    if spec.functions:
        views.append(catalogue(spec))
    return views


def anatomy(spec: ArchSpec) -> View:
    key = showcase(spec)
    if key is None:
        b = ViewBuilder("lambda", "Lambda Function Architecture", "TB")
        b.node("functions", "No Lambda functions declared", "note", ref=None)
        return b.build()
    fn = spec.functions[key]
    others = len(spec.functions) - 1
    b = ViewBuilder(
        "lambda",
        f"Lambda Function Architecture · {key}",
        "TB",
        caption=f"The anatomy of one function, {key}"
        + (f"; the other {others} follow the same pattern (see the tables below)." if others else "."),
    )
    path = f"functions.{key}"
    frame = b.group(
        f"function#{key}",
        f"Lambda function {key} · {fn.runtime} · {fn.architecture}",
        kind="function",
        ref=None,
    )
    tiers = _tiers(b, spec, fn, path, frame)
    _layers(b, spec, fn, frame, tiers)
    _configuration(b, fn, path, frame)
    _stores(b, spec, key, tiers[-1])
    return b.build()


def _tiers(b: ViewBuilder, spec: ArchSpec, fn: FunctionSpec, path: str, frame: str) -> list[str]:
    """Handler → business logic → data access, side by side."""
    details = {
        "handler": [fn.handler, f"{fn.memory} MB · {fn.timeout} s"],
        "business_logic": wrap(fn.description or "(no description)", 30),
        "data_access": [
            f"{store}: {access_label(g.access)}" + (f" {', '.join(g.prefixes)}" if g.prefixes else "")
            for store, g in fn.grants.items()
        ]
        + (["rds: SQL"] if fn.database and spec.rds.enabled else []),
    }
    ids = []
    for tier in fn.tiers:
        # The handler box is the function itself (its spec path); the others are parts of its code.
        nid = path if tier == "handler" else f"{path}#{tier}"
        b.node(
            nid,
            TIER_LABELS[tier],
            "lambda" if tier == "handler" else "feature",
            group=frame,
            details=details[tier] or ["(no data store)"],
            ref=path if tier == "handler" else None,
        )
        ids.append(nid)
    for a, z in pairwise(ids):
        b.edge(a, z, "calls", constraint=False)
    b.row(*ids)
    return ids


def _layers(b: ViewBuilder, spec: ArchSpec, fn: FunctionSpec, frame: str, tiers: list[str]) -> None:
    if not fn.layers:
        return
    group = b.group(f"{frame}#layers", "Lambda layers", parent=frame, kind="layers", ref=None)
    ids = []
    for name in fn.layers:
        layer = spec.layers[name]
        nid = b.node(
            f"layers.{name}",
            name,
            "layer",
            group=group,
            details=[*wrap(layer.description, 26), "/".join(layer.compatible_architectures)],
        )
        ids.append(nid)
        for t in tiers:
            b.order(t, nid)
        if any(w in layer.description.lower() for w in DRIVER_WORDS):
            b.edge(tiers[-1], nid, "imports", kind="flow", dashed=True)
    b.row(*ids)


def _configuration(b: ViewBuilder, fn: FunctionSpec, path: str, frame: str) -> None:
    """Environment variables and secrets, as the seed draws them at the bottom of the function."""
    env = [f"• {name}" for name in fn.environment] or ["(none)"]
    secrets = [f"• {secret_env_var(s)}" for s in fn.secrets] or ["(none)"]
    b.node(f"{path}#environment", "Environment variables", "note", group=frame, details=env, ref=None)
    b.node(f"{path}#secrets", "Secrets (ARNs)", "note", group=frame, details=secrets, ref=None)
    above = b.members(f"{frame}#layers") or [n for n in b.members(frame) if "#" in n or n == path][:1]
    for a in above:
        b.order(a, f"{path}#environment")
        b.order(a, f"{path}#secrets")
    b.row(f"{path}#environment", f"{path}#secrets")


def _stores(b: ViewBuilder, spec: ArchSpec, key: str, access: str) -> None:
    """The data stores the function reaches, below it."""
    fn = spec.functions[key]
    stores = []
    for store, grant in fn.grants.items():
        kind, _, name = store.partition(".")
        icon = {"tables": "dynamodb", "buckets": "s3"}.get(kind, "secret")
        b.node(store, f"{kind[:-1].capitalize()} {name}", icon, details=[spec.name_of(name, kind)])  # type: ignore[arg-type]
        label = access_label(grant.access)
        b.edge(access, store, label, kind=label)
        stores.append(store)
    if fn.database and spec.rds.enabled:
        b.node("rds", f"RDS {spec.rds.engine}", "rds", details=[spec.rds.instance_class])
        b.edge(access, "rds", "SQL", kind="reads/writes")
        stores.append("rds")
    for secret in fn.secrets:
        b.node(f"secrets.{secret}", f"Secret {secret}", "secret", details=[spec.name_of(secret, "secrets")])
        b.edge(access, f"secrets.{secret}", "reads", kind="reads", dashed=True)
        stores.append(f"secrets.{secret}")
    b.row(*stores)
    # Below the function frame, so that the page stays one column wide.
    for note in ("environment", "secrets"):
        for store in stores:
            b.order(f"functions.{key}#{note}", store)


PER_ROW = 3
"""Function boxes per row of the catalogue (three fit the docs column)."""


def catalogue(spec: ArchSpec) -> View:
    """Every function with its layers and data stores (RDS included), then the layers and secrets: a table."""
    b = ViewBuilder(
        "lambda-functions",
        "Lambda functions, layers and data stores",
        "TB",
        caption=f"{plural(len(spec.functions), 'function')} with the layers they load and the data stores "
        "they reach.",
    )
    b.group("functions", "Functions", kind="functions", ref=None)
    keys = list(spec.functions)
    for key in keys:
        fn = spec.functions[key]
        stores = [f"{store.partition('.')[2]} ({access_label(g.access)})" for store, g in fn.grants.items()]
        if fn.database and spec.rds.enabled:
            stores.append(f"RDS {spec.rds.engine}")
        # Plain boxes, not icons: a table of hundreds of functions must stay quick to draw.
        b.node(
            f"functions.{key}",
            key,
            "feature",
            group="functions",
            details=[
                f"{fn.memory} MB · {fn.timeout} s · {'VPC' if fn.vpc else 'no VPC'}",
                "layers: " + (", ".join(fn.layers) or "none"),
                *wrap("data: " + (", ".join(stores) or "none"), 34),
            ],
        )
    cells = [f"functions.{k}" for k in keys]
    grid(b, cells, PER_ROW)
    last = cells[-PER_ROW:]
    sections = (
        (
            "layers",
            "Lambda layers",
            {k: (x.description, "/".join(x.compatible_architectures)) for k, x in spec.layers.items()},
        ),
        (
            "secrets",
            "Secrets (Secrets Manager)",
            {
                k: (x.description, f"rotated every {x.rotation.days} d" if x.rotation else "not rotated")
                for k, x in spec.secrets.items()
            },
        ),
    )
    for kind, title, items in sections:
        if not items:
            continue
        b.group(kind, title, kind=kind, ref=None)
        ids = [
            b.node(f"{kind}.{key}", key, "note", group=kind, details=[*wrap(description, 24), extra])
            for key, (description, extra) in items.items()
        ]
        for a, z in zip(last, ids, strict=False):
            b.order(a, z)
        grid(b, ids, PER_ROW)
        last = ids[-PER_ROW:]
    return b.build()
