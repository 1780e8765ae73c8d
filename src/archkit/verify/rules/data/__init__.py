"""Layer 4, data security: DynamoDB, S3, KMS, the optional RDS database and backups."""
