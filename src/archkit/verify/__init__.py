"""archkit.verify: desired state (from the spec) vs observed state (from the account) -> drift and compliance.

Importing this package imports no boto3: state models, desired states, findings and rules are pure.
boto3 is imported by the collectors (`archkit.verify.collect`) and the emulator only.
"""
