"""Layer 2, API security: API Gateway methods, stage, keys and usage plans."""
