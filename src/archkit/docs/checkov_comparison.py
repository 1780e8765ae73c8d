"""The "How archkit compares with checkov" section of the rule catalogue page, from the rules' counterparts
and the committed not-applicable list (archkit.peers.checkov), the data the peer cross-check test reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archkit.docs.markdown import code, join_blocks, table, text
from archkit.peers.checkov import CHECKOV_VERSION, NOT_APPLICABLE, counterpart_rules

TITLE = "How archkit compares with checkov"


def checkov_comparison_markdown(metas: Sequence[Any], anchor: Any) -> str:
    """A row per checkov check archkit knows: the rules it corresponds to, or why it does not apply."""
    rows: list[tuple[str, str, str]] = []
    for check, rules in sorted(counterpart_rules(metas).items()):
        links = ", ".join(f"[{code(m.id)}](#{anchor(m.id)})" for m in rules)
        rows.append((code(check), "counterpart", links))
    for entry in sorted(NOT_APPLICABLE, key=lambda e: e.check):
        where = "" if entry.resources == "*" else f" (on {code(entry.resources)})"
        rows.append((code(entry.check), "not applicable" + where, text(entry.reason)))
    intro = (
        f"The test suite runs checkov {CHECKOV_VERSION} (its own venv, `scripts/setup-peers.sh`) on the "
        "templates archkit synthesizes for the reference spec in every environment. Each check checkov fails "
        "must be the counterpart of a failing archkit rule on the same resource, a suppression in the spec "
        "of that rule (`compliance.suppressions`) or of one of its cdk-nag counterparts "
        "(`compliance.nag_suppressions`), or one of the not-applicable entries below; any other failure "
        "fails the suite. Counterpart ids are checked against checkov's own registry: each is a "
        "CloudFormation check of a resource type archkit emits (Terraform-only checks are not listed)."
    )
    return join_blocks(f"## {TITLE}", intro, table(["checkov", "In archkit", "Rule or reason"], rows))
