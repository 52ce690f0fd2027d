"""What the service knows about: its resources, citations, names and countries."""
