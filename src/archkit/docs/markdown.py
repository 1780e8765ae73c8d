"""Small Markdown builders shared by every generated page: tables, code spans, values, the generated banner.

Every generated page is built from these so escaping is done in one place and output is byte-stable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

GENERATED_MARKER = "<!-- archkit:generated"
"""First characters of every generated page; `archkit docs` only overwrites directories made of such pages."""

_SLUG_DROP = re.compile(r"[^a-z0-9 _-]")


def generated_comment(source: str, command: str, environment: str | None = None) -> str:
    """The first line of a generated page (no timestamps: pages must be byte-stable)."""
    env = f" (environment {environment})" if environment else ""
    return f"{GENERATED_MARKER} from {source}{env} by `{command}`; do not edit -->\n"


def generated_notice(source: str, command: str, environment: str | None = None) -> str:
    """The admonition telling a reader the page is generated and how to change it."""
    env = f" (environment `{environment}`)" if environment else ""
    return (
        '!!! info "Generated page"\n'
        f"    Generated from `{source}`{env} by `{command}`. Edit the source and regenerate;\n"
        "    changes made here are overwritten.\n"
    )


def generated_page(
    title: str, source: str, command: str, *blocks: str, environment: str | None = None
) -> str:
    """A whole generated page: marker comment, title, notice, then the blocks."""
    return join_blocks(
        generated_comment(source, command, environment),
        f"# {title}",
        generated_notice(source, command, environment),
        *blocks,
    )


def code(value: object) -> str:
    """A code span that survives any content (backticks inside); table pipes need no escape in code spans."""
    text = str(value).replace("\n", " ")
    if not text:
        return '`""`'
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def text(value: object) -> str:
    """Table-cell text: pipes escaped, newlines folded, `<` `>` escaped outside code spans (kept inside)."""
    raw = str(value).replace("\n", " ")
    out, pos = [], 0
    for match in _CODE_SPAN.finditer(raw):
        out.append(_escape_plain(raw[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_escape_plain(raw[pos:]))
    return "".join(out)


def _escape_plain(fragment: str) -> str:
    return fragment.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def scalar(value: Any) -> str:
    """A spec value as the YAML/JSON reader writes it: `true`, `null`, `"text"`, `[a, b]`."""
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def codes(values: Iterable[object], empty: str = "—") -> str:
    """Comma-separated code spans, or a dash for an empty list."""
    items = [code(v) for v in values]
    return ", ".join(items) if items else empty


def or_dash(value: object | None, fmt: Any = code) -> str:
    return "—" if value is None or value == "" else str(fmt(value))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], empty: str | None = None) -> str:
    """A pipe table; cells are used as given (format them with `code`/`text`). Empty tables become `empty`."""
    materialised = [[str(c) for c in row] for row in rows]
    if not materialised:
        return f"{empty or 'None declared.'}\n"
    for row in materialised:
        if len(row) != len(headers):
            raise ValueError(f"table row has {len(row)} cells, expected {len(headers)}: {row}")
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in materialised]
    return "\n".join(lines) + "\n"


def key_values(rows: Iterable[tuple[str, object]]) -> str:
    """A two-column setting/value table."""
    return table(["Setting", "Value"], [(name, value) for name, value in rows])


def slug(title: str) -> str:
    """The anchor id the `toc` extension gives a heading (default slugify: lower case, spaces to hyphens)."""
    cleaned = _SLUG_DROP.sub("", title.lower()).strip()
    return re.sub(r"[-\s]+", "-", cleaned)


def image(alt: str, src: str) -> str:
    """An image that links to itself, so a reader can open a large diagram at full size."""
    return f"[![{alt}]({src})]({src})\n"


def join_blocks(*blocks: str) -> str:
    """Join Markdown blocks with one blank line between them and exactly one newline at the end."""
    parts = [b.strip("\n") for b in blocks if b and b.strip()]
    return "\n\n".join(parts) + "\n"
