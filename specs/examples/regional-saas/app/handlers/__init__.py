"""Handlers of the regional SaaS example: every request belongs to one tenant."""
