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


class FacetCountSchema(BaseSchema):
    """How many records of the filtered set have one value."""

    class Meta(BaseSchema.Meta):
        always_present = True

    value = fields.String(allow_none=True, metadata={"description": "null for undated records"})
    count = fields.Integer()


def page_of(schema: type[Schema], name: str, *, facets: bool = False) -> type[Schema]:
    """The page schema (component ``name``) whose items are ``schema`` records."""
    members = {"items": fields.List(fields.Nested(schema))}
    if facets:
        members["facets"] = fields.Dict(
            keys=fields.String(),
            values=fields.List(fields.Nested(FacetCountSchema)),
            metadata={
                "description": "Counts by each requested `facet`, largest first; "
                "empty when none is requested"
            },
        )
    return type(name, (PageSchema,), members)
