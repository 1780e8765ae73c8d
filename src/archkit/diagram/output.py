"""Render views to bytes and write them as ``<out>/<view>.<format>`` atomically."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from archkit.diagram.errors import DiagramError
from archkit.diagram.model import View
from archkit.io import write_bytes_atomic

FORMATS: tuple[str, ...] = ("png", "svg", "dot", "txt", "mmd")
"""Output formats: png/svg (graphviz dot, icons embedded in svg), dot source, box-drawing text, Mermaid."""
GRAPHVIZ_FORMATS = frozenset({"png", "svg"})


def check_formats(formats: Iterable[str]) -> list[str]:
    """Validated, de-duplicated formats in the order given."""
    out: list[str] = []
    for fmt in formats:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise DiagramError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        if fmt not in out:
            out.append(fmt)
    if not out:
        raise DiagramError(f"no format given; choose from {', '.join(FORMATS)}")
    return out


def render_view(view: View, formats: Iterable[str]) -> dict[str, bytes]:
    """Render one view in several formats; dot lays the graph out once for png and svg together."""
    from archkit.diagram.render.graphviz import run_dot, to_dot
    from archkit.diagram.render.mermaid import to_mermaid
    from archkit.diagram.render.text import to_text

    wanted = check_formats(formats)
    result: dict[str, bytes] = {}
    source = to_dot(view) if {"dot", "png", "svg"} & set(wanted) else ""
    images = run_dot(source, [f for f in wanted if f in GRAPHVIZ_FORMATS])
    for fmt in wanted:
        if fmt in images:
            result[fmt] = images[fmt]
        elif fmt == "dot":
            result[fmt] = source.encode("utf-8")
        elif fmt == "txt":
            result[fmt] = to_text(view).encode("utf-8")
        else:
            result[fmt] = to_mermaid(view).encode("utf-8")
    return result


def render_bytes(view: View, fmt: str) -> bytes:
    """One view in one format (``png``, ``svg``, ``dot``, ``txt`` or ``mmd``) as bytes."""
    return render_view(view, [fmt])[fmt]


def render(view: View, fmt: str, path: str | os.PathLike[str]) -> Path:
    """Write one view in one format to ``path`` (atomically) and return the path."""
    target = Path(path)
    write_bytes_atomic(target, render_bytes(view, fmt))
    return target


Progress = Callable[[str, list[Path], float], None]


def write_views(
    views: dict[str, View],
    out_dir: str | os.PathLike[str],
    formats: Iterable[str],
    progress: Progress | None = None,
) -> list[Path]:
    """Write each view in each format as ``out_dir/<view>.<fmt>``; calls ``progress(view, paths, seconds)``.

    Each file is written to a temporary sibling and renamed, so an interrupted run leaves no partial file.
    """
    wanted = check_formats(formats)
    if GRAPHVIZ_FORMATS & set(wanted):
        from archkit.diagram.render.graphviz import dot_binary

        dot_binary()  # fail before writing anything when graphviz is missing
    out = Path(out_dir)
    written: list[Path] = []
    # Views render concurrently (each is a few dot processes); results are written in view order.
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        jobs = [(name, pool.submit(_timed, view, wanted)) for name, view in views.items()]
        results = [(name, *job.result()) for name, job in jobs]
    for name, rendered, seconds in results:
        paths = []
        for fmt in wanted:
            path = out / f"{name}.{fmt}"
            write_bytes_atomic(path, rendered[fmt])
            paths.append(path)
        written += paths
        if progress is not None:
            progress(name, paths, seconds)
    return written


def _timed(view: View, formats: list[str]) -> tuple[dict[str, bytes], float]:
    started = time.perf_counter()
    rendered = render_view(view, formats)
    return rendered, time.perf_counter() - started
