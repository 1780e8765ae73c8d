"""archkit: architecture as code for AWS.

One typed spec (:class:`archkit.spec.ArchSpec`) of a whole AWS system drives CDK
generation, diagrams, documentation and live-account verification. Importing
``archkit`` pulls in pydantic only; the CDK, diagram and boto3 layers load on demand.
"""

from archkit.spec import ArchSpec, SpecError, load_spec, spec_from_dict
from archkit.spec.references import register_rule_ids
from archkit.spec.suppressions import register_nag_counterparts


def _verify_rule_ids() -> list[str]:
    """The compliance rules' ids, for the spec's suppression check (imported only when a spec suppresses)."""
    from archkit.verify.rules.registry import rule_ids

    return rule_ids()


def _verify_nag_counterparts() -> dict[str, tuple[str, ...]]:
    """Each compliance rule's cdk-nag counterparts, so one suppression covers both (imported when needed)."""
    from archkit.verify.rules.registry import all_rules

    return {r.id: tuple(r.meta.counterparts.cdk_nag) for r in all_rules() if r.meta.counterparts.cdk_nag}


register_rule_ids(_verify_rule_ids)
register_nag_counterparts(_verify_nag_counterparts)

__version__ = "0.1.0"

__all__ = ["ArchSpec", "SpecError", "__version__", "load_spec", "spec_from_dict"]
