"""Common libraries layer: HTTP responses, validation, structured logging with data masking."""
