"""Collection pages: the items, and how to fetch the next page."""

from __future__ import annotations

from marshmallow import Schema, fields

from schemas.common import BaseSchema


class PageSchema(BaseSchema):
    """A page of a collection; ``next`` is also sent as a Link header."""

    class Meta(BaseSchema.Meta):
        always_present = True

    next = fields.String(
        allow_none=True, metadata={"description": "URL of the next page; null on the last page"}
    )
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "Cursor of the next page; null on the last page"}
    )


def page_of(schema: type[Schema], name: str) -> type[Schema]:
    """The page schema (component ``name``) whose items are ``schema`` records."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(schema))})
