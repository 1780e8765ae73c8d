"""Compliance rules: the seed's security layers and cost strategy as checks over normalized states.

One rule per module under ``edge/``, ``api/``, ``application/``, ``data/``, ``network/``, ``cost/`` and
``governance/``; each is a pure function of one state (plus the spec and the other states of the run), so
the same rule runs on the desired states (``archkit verify --static``, before deploy) and on the observed
ones (``archkit verify``, after). Importing this package imports pydantic and the standard library only.

    from archkit.verify.rules import evaluate, catalogue
    findings = evaluate(states, spec, mode="observed")
"""

from __future__ import annotations

from archkit.verify.rules.base import Counterparts, Outcome, RuleContext, RuleMeta
from archkit.verify.rules.catalogue import catalogue, catalogue_markdown
from archkit.verify.rules.engine import RuleResult, evaluate, evaluate_results
from archkit.verify.rules.registry import RuleDefinitionError, all_rules, get_rule, rule_ids

__all__ = [
    "Counterparts",
    "Outcome",
    "RuleContext",
    "RuleDefinitionError",
    "RuleMeta",
    "RuleResult",
    "all_rules",
    "catalogue",
    "catalogue_markdown",
    "evaluate",
    "evaluate_results",
    "get_rule",
    "rule_ids",
]
