"""``archkit diff``: what a spec change does — resources added, removed, renamed or changed, and the
consequences of it (destructive, security, availability, cost), for the pull request that makes it.

Library API::

    from archkit.diff import load_side, diff_sides
    base = load_side("BASE", "main", Path("specs/reference.yaml"), env=None)   # a git revision
    head = load_side("HEAD", "specs/reference.yaml", Path("specs/reference.yaml"), env=None)
    report = diff_sides(base, head)              # spec layer only; synth=True compares the templates
    report.to_json()                             # the documented JSON form

Importing this package imports pydantic only; rules load verify's rule modules; only ``synth=True`` loads
aws_cdk.
"""

from archkit.diff.model import CLASSES, Consequence, DiffReport, ResourceChange
from archkit.diff.run import diff_sides
from archkit.diff.sides import Side, SideError, load_side

__all__ = [
    "CLASSES",
    "Consequence",
    "DiffReport",
    "ResourceChange",
    "Side",
    "SideError",
    "diff_sides",
    "load_side",
]
