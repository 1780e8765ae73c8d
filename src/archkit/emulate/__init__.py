"""An emulated AWS account: the synthesized CloudFormation templates deployed into a moto server.

``archkit emulate`` (``cli/emulate.py``) synthesizes the spec (or takes a ``cdk.out``), starts the server
(``server.py``), deploys every stack into its region (``deploy.py``: CloudFormation's part — intrinsic
functions, dependencies, exports — done here; ``handlers/``: one module per service, the API calls each
resource type needs) and can then make a change behind the spec's back (``changes.py``). What moto cannot
hold is declared once, in ``capabilities.py``, and served as a document verify reads.

Needs the ``emulate`` extra (moto).
"""
