"""Timeline entries: records of every dated resource on one axis."""

from marshmallow import fields

from schemas.common import BaseSchema, Choice, CountryRef, SourceSchema
from schemas.queries import TIMELINE_TYPES


class TimelineEntrySchema(BaseSchema):
    """A dated record, as the timeline shows it."""

    class Meta(BaseSchema.Meta):
        always_present = True

    type = Choice("TimelineType", TIMELINE_TYPES)
    id = fields.String()
    date = fields.String(
        allow_none=True, metadata={"description": "At the source's precision; null if undated"}
    )
    date_start = fields.String(allow_none=True)
    date_end = fields.String(allow_none=True)
    title = fields.String()
    kind = fields.String()
    countries = fields.List(CountryRef())
    via = CountryRef(
        allow_none=True,
        metadata={"description": "The predecessor state through which it matched a country"},
    )
    sources = fields.List(fields.Nested(SourceSchema))
