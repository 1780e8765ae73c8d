"""archkit: architecture as code for AWS.

One typed spec (:class:`archkit.spec.ArchSpec`) of a whole AWS system drives CDK
generation, diagrams, documentation and live-account verification. Importing
``archkit`` pulls in pydantic only; the CDK, diagram and boto3 layers load on demand.
"""

from archkit.spec import ArchSpec, SpecError, load_spec, spec_from_dict

__version__ = "0.1.0"

__all__ = ["ArchSpec", "SpecError", "__version__", "load_spec", "spec_from_dict"]
