"""docs/getting-started.md stays true: the console blocks marked `<!-- test: run -->` run, in order and in one
shell (so `cd` carries over), with the installed wheel in a new folder; each command exits 0 and prints the
output lines the page shows (`...` stands for lines the page leaves out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

PAGE = Path(__file__).resolve().parents[2] / "docs" / "getting-started.md"
MARKER = "<!-- test: run -->"
_BLOCK = re.compile(re.escape(MARKER) + r"\n```console\n(.*?)\n```", re.DOTALL)


@dataclass
class Step:
    command: str
    expected: list[str]


def steps_of(page: str) -> list[Step]:
    """The commands (`$ ` lines, `\\` continuations joined) of the marked blocks and the output shown."""
    steps: list[Step] = []
    for block in _BLOCK.findall(page):
        lines = iter(block.splitlines())
        for line in lines:
            if line.startswith("$ "):
                command = line[2:]
                while command.endswith("\\"):
                    command = command[:-1] + next(lines).strip()
                steps.append(Step(command.split("  #")[0].strip(), []))
            elif line.strip() != "..." and steps:
                steps[-1].expected.append(line)
    return steps


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_the_page_marks_the_tutorial_blocks():
    commands = [s.command for s in steps_of(PAGE.read_text(encoding="utf-8"))]
    assert commands[0].startswith("archkit init ")
    for command in ("archkit validate", "archkit verify --static", "archkit generate", "archkit diagram"):
        assert command in commands


def test_the_tutorial_runs_as_written(installed, tmp_path: Path):
    steps = steps_of(PAGE.read_text(encoding="utf-8"))
    script = ["exec 2>&1"]
    for i, step in enumerate(steps):
        script += [f"echo '@@begin {i}'", step.command, f'echo "@@end {i} $?"']
    result = installed.shell("\n".join(script), cwd=tmp_path)
    outputs = re.findall(r"@@begin (\d+)\n(.*?)@@end \1 (\d+)\n", result.stdout, re.DOTALL)
    assert len(outputs) == len(steps), result.stdout[-3000:]
    for (_, output, code), step in zip(outputs, steps, strict=True):
        assert code == "0", f"$ {step.command} exited {code}:\n{output}"
        for line in step.expected:
            assert _normal(line) in _normal(output), f"$ {step.command}: missing {line!r} in\n{output}"
