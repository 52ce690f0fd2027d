"""The bilateral brief: what two countries' records say, with every citation numbered."""

from marshmallow import fields

from schemas.common import BaseSchema, CountryRef
from schemas.countries import CountrySchema


class BriefItemSchema(BaseSchema):
    """One record in a brief section."""

    class Meta(BaseSchema.Meta):
        always_present = True

    type = fields.String()
    id = fields.String()
    title = fields.String()
    date = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    text = fields.String(metadata={"description": "Summary, figure or words quoted"})
    author = fields.String(allow_none=True)
    via = CountryRef(allow_none=True)
    citations = fields.List(fields.Integer(), metadata={"description": "Numbers in `sources`"})
    notes = fields.List(
        fields.String(), metadata={"description": "The curator's remarks: corrections, doubts"}
    )
    inferred = fields.List(
        fields.String(),
        metadata={"description": "Fields the curator inferred rather than read in a source"},
    )
    href = fields.String()


class BriefSectionSchema(BaseSchema):
    """The first items of a section, how many there are, and where the rest are."""

    class Meta(BaseSchema.Meta):
        always_present = True

    count = fields.Integer(
        metadata={"description": "How many records the section has, counted up to 100"}
    )
    count_exact = fields.Boolean(
        metadata={"description": "false when there are more than `count` (100)"}
    )
    items = fields.List(fields.Nested(BriefItemSchema))
    more = fields.String(metadata={"description": "The full, filtered collection"})


class ChronologySchema(BriefSectionSchema):
    """The first records of the pair in date order, and the link to the rest."""

    count = fields.Integer(
        metadata={"description": "How many records the pair has, counted up to 10,000"}
    )
    count_exact = fields.Boolean(
        metadata={"description": "false when there are more than `count` (10,000)"}
    )
    more = fields.String(metadata={"description": "The whole chronology: the timeline"})
    next = fields.String(
        allow_none=True,
        metadata={
            "description": "The timeline's pages after the records shown (null: none follow)"
        },
    )


class BriefSourceSchema(BaseSchema):
    """A numbered citation."""

    class Meta(BaseSchema.Meta):
        always_present = True

    number = fields.Integer()
    document = fields.String()
    document_title = fields.String()
    publisher = fields.String()
    published = fields.String(allow_none=True)
    quote = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    prefix = fields.String()
    suffix = fields.String()


class CoverageDocumentSchema(BaseSchema):
    """A document a brief's records cite."""

    class Meta(BaseSchema.Meta):
        always_present = True

    id = fields.String()
    title = fields.String()
    publisher = fields.String()
    published = fields.String(allow_none=True)
    url = fields.String(allow_none=True)


class CoverageSchema(BaseSchema):
    """What a brief rests on."""

    class Meta(BaseSchema.Meta):
        always_present = True

    documents = fields.List(
        fields.Nested(CoverageDocumentSchema),
        metadata={"description": "Every document the brief's records cite, oldest first"},
    )
    earliest = fields.String(
        allow_none=True, metadata={"description": "Publication date of the oldest source"}
    )
    latest = fields.String(
        allow_none=True, metadata={"description": "Publication date of the newest source"}
    )
    records = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "How many records of each resource the brief holds"},
    )
    complete = fields.Boolean(
        metadata={"description": "false when the chronology holds more records than it shows"}
    )
    countries_with_records = fields.String(
        metadata={"description": "The countries some record involves"}
    )
    pairs_with_records = fields.String(
        metadata={"description": "The dataset description, which lists the pairs with records"}
    )


class BriefSchema(BaseSchema):
    """A bilateral brief; the same for either order of the two countries."""

    class Meta(BaseSchema.Meta):
        always_present = True

    countries = fields.List(fields.Nested(CountrySchema))
    predecessor_states = fields.List(
        fields.Nested(CountrySchema),
        metadata={"description": "States the two continue, whose records count (marked via)"},
    )
    as_of = fields.String(allow_none=True)
    predecessors = fields.Boolean()
    figures = fields.Nested(BriefSectionSchema, metadata={"description": "Indicators"})
    agreements = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(BriefSectionSchema),
        metadata={"description": "Agreements grouped by status, most advanced first"},
    )
    meetings = fields.Nested(BriefSectionSchema)
    events = fields.Nested(BriefSectionSchema)
    positions = fields.Nested(
        BriefSectionSchema, metadata={"description": "Op-eds, quotes and statements"}
    )
    recommendations = fields.Nested(BriefSectionSchema)
    chronology = fields.Nested(
        ChronologySchema,
        metadata={"description": "The first 100 records, oldest first, undated last"},
    )
    coverage = fields.Nested(CoverageSchema)
    sources = fields.List(fields.Nested(BriefSourceSchema))
