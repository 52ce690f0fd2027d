"""The HTTP side: app wiring, problems, representations, writes' mechanics, limits."""
