"""Cost optimization: compute, storage, cost allocation and monitoring."""
