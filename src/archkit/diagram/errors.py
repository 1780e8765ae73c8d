"""Errors of the diagram package; the CLI turns each into one clear line and exit code 2."""

from __future__ import annotations


class DiagramError(Exception):
    """A diagram could not be built or rendered (bad overlay file, failed dot run, unknown view)."""


class GraphvizNotFound(DiagramError):
    """The graphviz ``dot`` binary is missing; the message says how to install it."""
