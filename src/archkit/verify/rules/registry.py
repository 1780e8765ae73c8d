"""Rule discovery: every module under the rule packages defines exactly one rule; ids are unique.

Importing this module (and the rules) imports pydantic and the standard library only, so the spec
loader can check suppression ids against it without slowing ``archkit validate`` down much.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from archkit.verify.rules.base import Rule

RULE_PACKAGES: tuple[str, ...] = tuple(
    f"archkit.verify.rules.{layer}"
    for layer in ("edge", "api", "application", "data", "network", "cost", "governance")
)


class RuleDefinitionError(RuntimeError):
    """A rule module breaks the framework's contract (duplicate id, no rule, several rules)."""


def _rules_in(module: ModuleType) -> list[Rule]:
    found: list[Rule] = []
    for value in vars(module).values():
        candidate = getattr(value, "rule", None)
        if isinstance(candidate, Rule) and candidate.meta.module == module.__name__:
            found.append(candidate)
    return found


def discover(packages: tuple[str, ...] | list[str]) -> list[Rule]:
    """Import every module of ``packages`` and return their rules sorted by id.

    Raises :class:`RuleDefinitionError` for a duplicate id (naming both modules), or a module that
    defines no rule or more than one.
    """
    rules: dict[str, Rule] = {}
    for package_name in packages:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__, f"{package_name}."), key=lambda i: i.name):
            if info.ispkg or info.name.rsplit(".", 1)[-1].startswith("_"):
                continue
            module = importlib.import_module(info.name)
            defined = _rules_in(module)
            if len(defined) != 1:
                names = ", ".join(r.id for r in defined) or "none"
                raise RuleDefinitionError(f"{info.name} must define exactly one rule (found: {names})")
            found = defined[0]
            if found.id in rules:
                raise RuleDefinitionError(
                    f"duplicate rule id {found.id}: defined in {rules[found.id].meta.module} and {info.name}"
                )
            rules[found.id] = found
    return [rules[key] for key in sorted(rules)]


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every archkit rule, sorted by id (discovered once per process)."""
    return tuple(discover(RULE_PACKAGES))


def rule_ids() -> list[str]:
    """The ids of every rule, sorted (`archkit/__init__.py` gives them to the spec's suppression check)."""
    return [r.id for r in all_rules()]


def get_rule(rule_id: str) -> Rule:
    for found in all_rules():
        if found.id == rule_id:
            return found
    raise KeyError(rule_id)
