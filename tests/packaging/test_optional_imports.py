"""With the base dependencies only (no extra installed): every module imports, or misses only a package of
an extra; every command's --help works; a command of an extra says in one line what to install, exit 2."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

# Run inside the venv: each archkit module, and the top-level module it could not import (or null).
_IMPORT_ALL = r"""
import importlib, json, pkgutil, archkit
out = {}
for info in pkgutil.walk_packages(archkit.__path__, "archkit."):
    if info.name.endswith(".__main__"):  # runs the CLI
        continue
    try:
        importlib.import_module(info.name)
        out[info.name] = None
    except ModuleNotFoundError as exc:
        out[info.name] = (exc.name or "?").split(".")[0]
print(json.dumps(out))
"""

# The packages each extra adds, from the installed metadata (`Requires-Dist: x; extra == "name"`).
_EXTRAS = r"""
import json, re
from importlib.metadata import requires
extras = {}
for line in requires("archkit") or []:
    m = re.search(r'extra\s*==\s*"([^"]+)"', line)
    if m:
        name = re.split(r"[\s\[<>=!~;]", line, maxsplit=1)[0]
        extras.setdefault(m.group(1), []).append(name.lower().replace("-", "_"))
print(json.dumps(extras))
"""


def _json_of(installed, tmp_path, code: str):
    result = installed.run("python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_module_imports_or_misses_only_an_extra(installed, tmp_path):
    modules = _json_of(installed, tmp_path, _IMPORT_ALL)
    extras = _json_of(installed, tmp_path, _EXTRAS)
    optional = {package: extra for extra, packages in extras.items() for package in packages}
    assert "archkit.cli" in modules and "archkit.init" in modules
    failing = {name: missing for name, missing in modules.items() if missing is not None}
    not_an_extra = {name: missing for name, missing in failing.items() if missing not in optional}
    assert not not_an_extra, f"modules importing something no dependency or extra provides: {not_an_extra}"
    # Every CLI module imports without any extra: heavy and optional imports happen when a command runs.
    assert not {name for name in failing if name.startswith("archkit.cli")}


def test_every_command_has_help_without_extras(installed, tmp_path):
    from archkit.cli import app

    commands = [c.name for c in app.registered_commands]
    assert {"init", "validate", "generate", "diagram", "docs", "verify", "emulate"} <= set(commands)
    for name in commands:
        result = installed.run("archkit", name, "--help", cwd=tmp_path)
        assert result.returncode == 0, f"archkit {name} --help: {result.stderr}"
        assert re.search(rf"Usage: archkit {name}\b", result.stdout), result.stdout[:300]


def test_emulate_without_moto_says_what_to_install(installed, tmp_path):
    installed.run("archkit", "init", "--project", "acme", cwd=tmp_path)
    result = installed.run("archkit", "emulate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert 'pip install "archkit[emulate]"' in lines[0]
    assert "Traceback" not in result.stderr
