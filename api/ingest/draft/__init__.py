"""Drafting records from what was read: one module per resource, links, matching."""
