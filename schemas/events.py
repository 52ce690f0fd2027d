"""Events: developments, positions taken and periods that are no other record."""

from marshmallow import fields

from schemas.common import Choice, CountryRef, DatedSchema, PartialDate, Sources, Text

EVENT_KINDS = ("development", "position", "proposal", "period")


class EventSchema(DatedSchema):
    """A fact that is not an agreement, meeting, indicator or commentary."""

    title = Text(required=True)
    kind = Choice("EventKind", EVENT_KINDS, required=True)
    date = PartialDate(allow_none=True, load_default=None)
    until = PartialDate(
        allow_none=True,
        load_default=None,
        metadata={"description": "Last date of a period; null for a point in time"},
    )
    countries = fields.List(CountryRef(), load_default=list)
    summary = Text(required=True)
    sources = Sources(required=True)
