"""Layer 3, application security: Lambda functions, their roles, secrets and logs."""
