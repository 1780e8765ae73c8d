"""`archkit init`: scaffold a new project (spec, handler code, .gitignore, README section, CI workflow).

The files are templates shipped as package data (``templates/*.tmpl``) with ``<<project>>`` and
``<<region>>`` placeholders. Nothing is written until every check passed: the options are checked by the
spec's own validators, the rendered spec must load, and no file may be overwritten without ``force``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from archkit.io import write_text_atomic
from archkit.spec import SpecError, parse_spec_text, spec_from_dict
from archkit.spec.loader import INIT_SPEC

DEFAULT_REGION = "us-east-1"
README = "README.md"
README_BEGIN = "<!-- archkit:init begin -->"
README_END = "<!-- archkit:init end -->"

FILES: dict[str, str] = {
    INIT_SPEC.as_posix(): "archkit.yaml.tmpl",
    "lambda/items.py": "items.py.tmpl",
    ".gitignore": "gitignore.tmpl",
    ".github/workflows/archkit.yml": "workflow.yml.tmpl",
    README: "README.md.tmpl",
}
"""Project file -> template. The handler path matches `code` and `handler` of the spec template."""

_PLACEHOLDER = re.compile(r"<<(\w+)>>")
_OPTION_OF = {"project": "--project", "region": "--region"}


class InitError(Exception):
    """A user mistake (bad option, file in the way): one line for the CLI, nothing written."""


@dataclass(frozen=True)
class Written:
    path: Path
    action: str
    """created, overwritten, or appended (the README section added to an existing README)."""


def template(name: str) -> str:
    return resources.files("archkit.init").joinpath("templates", name).read_text(encoding="utf-8")


def render(text: str, values: dict[str, str]) -> str:
    """Replace each ``<<key>>``; a placeholder without a value is a bug in the templates."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def check_options(project: str, region: str) -> None:
    """Check --project and --region with the spec's validators (and their messages)."""
    try:
        spec_from_dict({"project": project, "region": region, "owner": "init"})
    except SpecError as exc:
        problems = [
            f"{_OPTION_OF[i.path]} {value!r}: {i.message}"
            for i in exc.issues
            if i.path in _OPTION_OF
            for value in [project if i.path == "project" else region]
        ]
        if problems:
            raise InitError("; ".join(problems)) from None


def _zones(region: str) -> tuple[str, str]:
    """Two availability zones the region has (not every region has an `a` and a `b`)."""
    from archkit.cdk.regions import AZ_LETTERS

    letters = AZ_LETTERS.get(region, ("ab", 2))[0]
    return region + letters[0], region + letters[1]


def render_project(project: str, region: str = DEFAULT_REGION) -> dict[str, str]:
    """Every file of a new project by relative path; the spec is checked to load."""
    check_options(project, region)
    values = {"project": project, "region": region, **dict(zip(("az1", "az2"), _zones(region), strict=True))}
    files = {path: render(template(name), values) for path, name in FILES.items()}
    try:
        parse_spec_text(files[INIT_SPEC.as_posix()], INIT_SPEC.as_posix())
    except SpecError as exc:  # e.g. a physical name derived from the project that AWS would refuse
        raise InitError(f"--project {project!r} makes an invalid spec: {exc.issues[0]}") from None
    return files


def _merge_readme(existing: str, section: str, force: bool) -> str | None:
    """The README with the archkit section appended (or, with force, replaced); None when it is in place."""
    begin, end = existing.find(README_BEGIN), existing.find(README_END)
    if begin < 0 or end < begin:
        return existing.rstrip("\n") + "\n\n" + section
    if not force:
        return None
    return existing[:begin] + section.rstrip("\n") + existing[end + len(README_END) :]


def scaffold(target: Path, project: str, region: str = DEFAULT_REGION, force: bool = False) -> list[Written]:
    """Write a new project into ``target``; raise :class:`InitError` before writing anything if a file
    would be overwritten (without ``force``) or an option is invalid."""
    files = render_project(project, region)
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} exists and is not a directory")
    plan: list[tuple[Path, str, str]] = []
    conflicts: list[str] = []
    for relative, text in files.items():
        path = target / relative
        if relative == README and path.is_file():
            merged = _merge_readme(path.read_text(encoding="utf-8"), text, force)
            if merged is None:
                conflicts.append(f"{path} (its archkit section)")
            else:
                action = "appended" if README_BEGIN not in path.read_text(encoding="utf-8") else "overwritten"
                plan.append((path, merged, action))
        elif path.exists() and not force:
            conflicts.append(str(path))
        else:
            plan.append((path, text, "overwritten" if path.exists() else "created"))
    if conflicts:
        raise InitError(
            f"refusing to overwrite {', '.join(conflicts)}; pass --force to overwrite, or choose another DIR"
        )
    for path, text, _ in plan:
        write_text_atomic(path, text)
    return [Written(path, action) for path, _, action in plan]


__all__ = ["DEFAULT_REGION", "FILES", "InitError", "Written", "check_options", "render_project", "scaffold"]
