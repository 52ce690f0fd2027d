"""Meetings: summits, visits, talks on the sidelines."""

from marshmallow import fields, validate

from schemas.common import (
    BaseSchema,
    Choice,
    CountryRef,
    DatedSchema,
    PartialDate,
    Slug,
    Sources,
    Text,
)

MEETING_KINDS = (
    "bilateral_meeting",
    "official_visit",
    "state_visit",
    "summit",
    "sideline_meeting",
)


class LocationSchema(BaseSchema):
    """Where it took place."""

    class Meta(BaseSchema.Meta):
        always_present = True

    city = fields.String(allow_none=True, load_default=None)
    country = CountryRef(allow_none=True, load_default=None)


class ParticipantSchema(BaseSchema):
    """Who took part; ``person`` is null when the source names only a role."""

    class Meta(BaseSchema.Meta):
        always_present = True

    person = Slug(allow_none=True, load_default=None)
    role = fields.String(allow_none=True, load_default=None)
    country = CountryRef(allow_none=True, load_default=None)


class OccasionSchema(BaseSchema):
    """The larger gathering a meeting was held at."""

    class Meta(BaseSchema.Meta):
        always_present = True

    organization = Slug(allow_none=True, load_default=None)
    name = Text(required=True)


class MeetingSchema(DatedSchema):
    """A meeting between countries' representatives."""

    title = Text(required=True)
    kind = Choice("MeetingKind", MEETING_KINDS, required=True)
    date = PartialDate(allow_none=True, load_default=None)
    location = fields.Nested(LocationSchema, allow_none=True, load_default=None)
    participants = fields.List(fields.Nested(ParticipantSchema), load_default=list)
    countries = fields.List(CountryRef(), required=True, validate=validate.Length(min=1))
    occasion = fields.Nested(OccasionSchema, allow_none=True, load_default=None)
    summary = Text(required=True)
    sources = Sources(required=True)
    outcomes = fields.List(
        Slug(),
        dump_only=True,
        metadata={"description": "Ids of the agreements reached at it (derived)"},
    )
