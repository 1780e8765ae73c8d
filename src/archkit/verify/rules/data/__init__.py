"""Layer 4, data security: DynamoDB, S3, KMS and backups."""
