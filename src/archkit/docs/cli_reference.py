"""The CLI reference page, generated from the Typer app's command tree.

It reads the click commands Typer builds (usage, help, every argument and option), so a command added
to `archkit.cli` appears here on the next `archkit docs` run without anyone editing a page.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from archkit.docs.markdown import code, generated_page, join_blocks, table, text

_CLICK_EXTRA = re.compile(r"\s*\[((?:default|env var|required)[^\]]*)\]")

COMMAND = "archkit docs"
SOURCE = "archkit.cli"


def _plain(help_text: str | None) -> str:
    """Help text without Rich markup (`[bold]`) or click's `\\b` no-rewrap markers."""
    if not help_text:
        return ""
    from rich.errors import MarkupError
    from rich.text import Text

    cleaned = inspect.cleandoc(help_text).replace("\b\n", "").replace("\b", "")
    try:
        return Text.from_markup(cleaned).plain
    except MarkupError:
        return cleaned


def _paragraphs(help_text: str) -> str:
    """Help paragraphs as Markdown paragraphs (single newlines inside a paragraph are kept as spaces)."""
    paragraphs = [" ".join(p.split()) for p in help_text.split("\n\n")]
    return "\n\n".join(text(p) for p in paragraphs if p) + "\n" if paragraphs else ""


def _params_table(command: Any, ctx: Any) -> str:
    rows = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        term, help_text = record
        # click appends `[default: x]`, `[env var: X]`, `[required]`; keep them out of the markup stripping.
        extras = [m.group(1).strip() for m in _CLICK_EXTRA.finditer(help_text)]
        description = text(_plain(_CLICK_EXTRA.sub("", help_text))) or "—"
        if extras:
            description += " " + " ".join(f"*[{text(e)}]*" for e in extras)
        kind = "argument" if param.param_type_name == "argument" else "option"
        rows.append((code(term), kind + (" (required)" if param.required else ""), description))
    return table(["Name", "Kind", "Description"], rows, empty="No arguments or options.")


def _usage(command: Any, ctx: Any) -> str:
    pieces = command.collect_usage_pieces(ctx)
    return "```text\n" + " ".join([ctx.command_path, *pieces]) + "\n```\n"


def _walk(command: Any, ctx: Any, level: int) -> list[str]:
    """The section of a command and, for a group, of each of its sub-commands (sorted by name)."""
    blocks = [
        join_blocks(
            f"{'#' * level} {ctx.command_path}",
            _usage(command, ctx),
            _paragraphs(_plain(command.help)),
            _params_table(command, ctx),
        )
    ]
    sub_commands = getattr(command, "commands", None)
    if sub_commands:
        summary = table(
            ["Command", "Does"],
            [
                (
                    f"[{code(f'{ctx.command_path} {name}')}](#{_anchor(f'{ctx.command_path} {name}')})",
                    text(_plain(sub.get_short_help_str(limit=200))),
                )
                for name, sub in sorted(sub_commands.items())
                if not getattr(sub, "hidden", False)
            ],
        )
        blocks.append(join_blocks(f"{'#' * (level + 1)} Commands", summary))
        for name, sub in sorted(sub_commands.items()):
            if getattr(sub, "hidden", False):
                continue
            sub_ctx = sub.context_class(sub, info_name=name, parent=ctx)
            blocks += _walk(sub, sub_ctx, level + 1 if level < 2 else level)
    return blocks


def _anchor(command_path: str) -> str:
    return command_path.replace(" ", "-").lower()


def command_paths(app: Any) -> list[str]:
    """Every visible command path of the app, e.g. `archkit validate` (used by tests and the nav check)."""
    root, ctx = _root(app)
    out: list[str] = []

    def visit(command: Any, context: Any) -> None:
        out.append(context.command_path)
        for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
            if not getattr(sub, "hidden", False):
                visit(sub, sub.context_class(sub, info_name=name, parent=context))

    visit(root, ctx)
    return out


def _root(app: Any) -> tuple[Any, Any]:
    import typer

    command = typer.main.get_command(app)
    return command, command.context_class(command, info_name="archkit")


def cli_reference_markdown(app: Any) -> str:
    """The whole CLI reference page for a Typer app (the CLI passes its own: docs never imports the CLI)."""
    command, ctx = _root(app)
    intro = (
        "Every command, argument and option of `archkit`, read from the command line itself. "
        "`archkit COMMAND --help` prints the same in a terminal. Exit codes: `0` success, `1` findings at or "
        "above `--fail-on`, `2` a usage or spec error, `3` the AWS account could not be read."
    )
    return generated_page("CLI reference", SOURCE, COMMAND, intro, *_walk(command, ctx, 2))
