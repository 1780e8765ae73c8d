"""Load a spec from YAML or JSON (or a dict), resolve its environment,; report every error by file and line.

Behaviour on bad input: every problem found is reported at once as a :class:`SpecError`, each issue with
file, line, column, spec path and a message. Malformed text stops at the first syntax error. Field errors
(types, unknown keys, missing keys) are reported together with the cross-reference problems of the rest of
the spec (see :mod:`archkit.spec.best_effort`). The public functions never raise anything else for a bad
document.

Top-level keys starting with ``x-`` are ignored, so that shared blocks can be anchored there and aliased
where they are used (as in docker-compose files).
"""

from __future__ import annotations

import copy
import os
import warnings
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from archkit.spec.best_effort import best_effort_reference_issues
from archkit.spec.defaults import apply_defaults
from archkit.spec.diagnostics import issues_from_validation
from archkit.spec.environments import resolve_environment
from archkit.spec.errors import Loc, SpecDeprecationWarning, SpecError, SpecIssue, dotted
from archkit.spec.source import Source, parse_document
from archkit.spec.system import ArchSpec

EXTENSION_PREFIX = "x-"
"""Top-level keys starting with this are ignored: a place for YAML anchors (``x-defaults: &defaults``)."""

DEFAULT_SPEC = Path("specs/reference.yaml")
"""The reference spec, when run from a clone of archkit."""
INIT_SPEC = Path("archkit.yaml")
"""The spec of a project made by `archkit init`, found in the working directory."""
SPEC_ENV_VAR = "ARCHKIT_SPEC"
SPEC_SEARCH = f"${SPEC_ENV_VAR}, else ./{INIT_SPEC}, else {DEFAULT_SPEC}"
"""Where commands look for the spec when none is given (for help texts)."""

__all__ = [
    "DEFAULT_SPEC",
    "INIT_SPEC",
    "SPEC_ENV_VAR",
    "SPEC_SEARCH",
    "Loc",
    "SpecError",
    "SpecIssue",
    "default_spec_path",
    "dump_spec",
    "issue_at",
    "load_environments",
    "load_located",
    "load_spec",
    "merge_environment_issues",
    "parse_spec_text",
    "resolve_environment",
    "spec_from_dict",
    "spec_locations",
]


def default_spec_path() -> Path:
    """``$ARCHKIT_SPEC``, else ``archkit.yaml`` if the working directory has one, else the reference spec."""
    from_env = os.environ.get(SPEC_ENV_VAR)
    if from_env:
        return Path(from_env)
    return INIT_SPEC if INIT_SPEC.is_file() else DEFAULT_SPEC


NO_SPEC_FOUND = f"no spec found here (looked for ./{INIT_SPEC} and {DEFAULT_SPEC})"
NO_SPEC_HINT = "pass --spec FILE, or run `archkit init --project NAME` to start a project in this folder"


def default_spec_missing() -> bool:
    """True when no spec was named ($ARCHKIT_SPEC unset) and none of the default places holds one."""
    return not os.environ.get(SPEC_ENV_VAR) and not default_spec_path().exists()


def _not_found_message(path: str | os.PathLike[str] | None) -> str:
    if (path is None or Path(path) == default_spec_path()) and default_spec_missing():
        return f"{NO_SPEC_FOUND}: {NO_SPEC_HINT}"
    return "spec file not found (pass a path or --spec, or set $ARCHKIT_SPEC)"


def _dedupe(issues: list[SpecIssue]) -> list[SpecIssue]:
    return sorted(set(issues), key=SpecIssue.sort_key)


def _validate(doc: Any, env: str | None, base: Source) -> ArchSpec:
    return _validate_located(doc, env, base)[0]


def _validate_located(doc: Any, env: str | None, base: Source) -> tuple[ArchSpec, Source]:
    """The spec of one environment and where each of its values was written."""
    if not isinstance(doc, dict):
        found = "nothing" if doc is None else type(doc).__name__
        raise SpecError([SpecIssue("", f"expected a mapping at the top level, got {found}", base.file, 1, 1)])
    source = base.derive()
    doc = {k: v for k, v in doc.items() if not str(k).startswith(EXTENSION_PREFIX)}
    resolved = apply_defaults(resolve_environment(doc, env, source), source)
    try:
        spec = ArchSpec.model_validate(resolved)
    except ValidationError as exc:
        issues, references_ran = issues_from_validation(exc, source)
        if not references_ran:
            issues += best_effort_reference_issues(resolved, exc, source)
        raise SpecError(_dedupe(source.problems + _misspelt_overrides(issues, source))) from None
    if source.problems:
        raise SpecError(_dedupe(source.problems))
    _warn_deprecated(spec, source)
    return spec, source


def _misspelt_overrides(issues: list[SpecIssue], source: Source) -> list[SpecIssue]:
    """The problems of an entry an environment adds under a name close to a declared one, replaced by one
    issue saying so: they follow from the misspelt name (a `handler` missing from a new function...)."""
    kept: list[SpecIssue] = []
    reported: set[Loc] = set()
    for issue in issues:
        entry = next((loc for loc in source.added if _within(issue.path, dotted(loc))), None)
        if entry is None:
            kept.append(issue)
        elif entry not in reported:
            reported.add(entry)
            written = source.origins[entry]
            message = (
                f"the override names '{entry[-1]}', which the document does not declare; did you mean "
                f"'{source.added[entry]}'?"
            )
            kept.append(source.issue(written, message, prefer_key=True))
    return kept


def _within(path: str, entry: str) -> bool:
    return path == entry or path.startswith(entry + ".")


def _warn_deprecated(spec: ArchSpec, source: Source) -> None:
    """Old forms still load, each with a located warning that names the new form."""
    from archkit.spec.suppressions import redundant_nag_suppressions

    for loc, message in redundant_nag_suppressions(spec):
        pos = source.locate(loc, prefer_key=True)
        where = f"{source.file}:{pos[0]}:{pos[1]}" if pos else source.file
        warnings.warn(SpecDeprecationWarning(f"{where}: {dotted(loc)}: {message}"), stacklevel=2)


def _validate_all(doc: Any, base: Source) -> dict[str, ArchSpec]:
    """Every environment of ``doc`` (the default first), with the problems of all of them in one error.

    A problem that shows in only some environments says in which.
    """
    declared = doc.get("environments") if isinstance(doc, dict) else None
    default = doc.get("environment") if isinstance(doc, dict) else None
    names: list[str | None] = [None]
    if isinstance(declared, dict):
        names += sorted(str(n) for n in declared if n != (default or "prod"))
    results: dict[str, ArchSpec] = {}
    errors: dict[str, list[SpecIssue]] = {}
    for name in names:
        try:
            spec = _validate(doc, name, base)
            results[spec.environment] = spec
        except SpecError as exc:
            errors[name or str(default or "prod")] = exc.issues
    if not errors:
        return results
    raise SpecError(merge_environment_issues(errors, len(names)))


def merge_environment_issues(errors: dict[str, list[SpecIssue]], environments: int) -> list[SpecIssue]:
    """The problems of several environments as one list: a problem of every one of the ``environments``
    once, a problem of only some with the names of those."""
    everywhere = (
        set.intersection(*(set(i) for i in errors.values())) if len(errors) == environments else set()
    )
    issues: list[SpecIssue] = list(everywhere)
    for name, env_issues in errors.items():
        for issue in env_issues:
            if issue not in everywhere:
                message = f"{issue.message} [environment {name}]"
                issues.append(SpecIssue(issue.path, message, issue.file, issue.line, issue.column))
    return _dedupe(issues)


def issue_at(source: Source, path: str, message: str) -> SpecIssue:
    """A located issue for a dotted spec path found outside the loader (list indexes as digits)."""
    loc: Loc = tuple(int(part) if part.isdigit() else part for part in path.split(".")) if path else ()
    return source.issue(loc, message)


MAX_SPEC_BYTES = 16 << 20
"""Largest spec file read (16 MiB; a 5,000-resource spec is about 1 MiB)."""


def _read(path: str | os.PathLike[str] | None) -> tuple[str, str]:
    spec_path = Path(path) if path is not None else default_spec_path()
    try:
        size = spec_path.stat().st_size
        if size > MAX_SPEC_BYTES and spec_path.is_file():
            message = f"the spec file is {size:,} bytes; archkit reads specs up to {MAX_SPEC_BYTES:,} bytes"
            raise SpecError([SpecIssue("", message, str(spec_path))])
        return spec_path.read_text(encoding="utf-8"), str(spec_path)
    except FileNotFoundError:
        raise SpecError([SpecIssue("", _not_found_message(path), str(spec_path))]) from None
    except IsADirectoryError:
        raise SpecError([SpecIssue("", "expected a spec file, got a directory", str(spec_path))]) from None
    except UnicodeDecodeError as exc:
        raise SpecError([_not_utf8(spec_path, exc)]) from None
    except OSError as exc:
        message = f"cannot read the spec: {exc.strerror or exc}"
        raise SpecError([SpecIssue("", message, str(spec_path))]) from None


def _not_utf8(spec_path: Path, exc: UnicodeDecodeError) -> SpecIssue:
    """Where the first byte that is not UTF-8 sits, in the loader's own words (not the codec's)."""
    before = exc.object[: exc.start]
    line = before.count(b"\n") + 1
    column = exc.start - (before.rfind(b"\n") + 1) + 1
    byte = exc.object[exc.start]
    message = f"cannot read the spec: byte 0x{byte:02x} is not UTF-8 text; save the file as UTF-8"
    return SpecIssue("", message, str(spec_path), line, column)


def spec_from_dict(doc: dict[str, Any], env: str | None = None) -> ArchSpec:
    """Build and validate a spec from a plain dict (as parsed from YAML), resolving ``env``."""
    return _validate(copy.deepcopy(doc), env, Source())


def parse_spec_text(text: str, file: str | None = None, env: str | None = None) -> ArchSpec:
    """Parse YAML or JSON text into a validated spec (JSON if ``file`` ends in ``.json``)."""
    doc, source = parse_document(text, file)
    return _validate(doc, env, source)


def load_spec(path: str | os.PathLike[str] | None = None, env: str | None = None) -> ArchSpec:
    """Load, resolve and validate the spec at ``path`` (default: ``$ARCHKIT_SPEC`` or the reference spec).

    ``env`` selects an environment (default: the spec's ``environment``). Raises :class:`SpecError` listing
    every problem with file, line, column and spec path.
    """
    text, file = _read(path)
    return parse_spec_text(text, file, env)


def load_located(
    path: str | os.PathLike[str] | None = None, env: str | None = None
) -> tuple[ArchSpec, Source]:
    """:func:`load_spec`, with where each value of the resolved spec was written (for ``--explain``)."""
    text, file = _read(path)
    doc, source = parse_document(text, file)
    return _validate_located(doc, env, source)


def load_environments(path: str | os.PathLike[str] | None = None) -> dict[str, ArchSpec]:
    """Every environment of the spec at ``path``, resolved and validated, the default one first.

    Raises one :class:`SpecError` with the problems of all environments.
    """
    text, file = _read(path)
    doc, source = parse_document(text, file)
    return _validate_all(doc, source)


def spec_locations(path: str | os.PathLike[str]) -> dict[str, int]:
    """Line of each spec path in a file (for reports that point into the spec, e.g. SARIF)."""
    text, file = _read(path)
    _, source = parse_document(text, file)
    lines = {dotted(loc): pos[0] for loc, pos in source.values.items()}
    lines.update({dotted(loc): pos[0] for loc, pos in source.keys.items()})
    return lines


def dump_spec(spec: ArchSpec) -> str:
    """The spec as YAML (every default explicit); loading it back gives an equal spec."""
    data = spec.model_dump(mode="json")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
