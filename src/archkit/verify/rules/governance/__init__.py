"""Governance: the suppressions themselves."""
