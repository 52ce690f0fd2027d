"""The build: seeds and fixtures, checked, into one SQLite file."""
