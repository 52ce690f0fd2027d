"""The bilateral brief: composed from the store, rendered as Markdown."""
