"""The continuous verifier (`archkit generate --verifier`): a tooling-account stack that runs verify for
every target on a schedule (`stack.py`), the Lambda worker it runs (`worker.py`), and the worker's code
bundle (`bundle.py`). Only `stack.py` imports aws_cdk; the worker needs the spec and verify layers only.
"""
