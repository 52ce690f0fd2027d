"""marshmallow schemas: the single description of every record and request."""
