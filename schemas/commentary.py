"""Commentary: op-eds, quotes, statements, recommendations, reader comments."""

from marshmallow import fields

from schemas.common import (
    BaseSchema,
    Choice,
    CountryRef,
    DatedSchema,
    PartialDate,
    PersonRefSchema,
    Slug,
    Sources,
    Text,
)

COMMENTARY_KINDS = ("op_ed", "quote", "statement", "recommendation", "reader_comment")
SPEECH = ("direct", "reported")
SUBJECT_TYPES = ("agreement", "meeting", "event", "indicator", "organization", "person")


class SubjectSchema(BaseSchema):
    """A record the commentary is about."""

    class Meta(BaseSchema.Meta):
        always_present = True

    type = Choice("SubjectType", SUBJECT_TYPES, required=True)
    id = Slug(required=True)


class CommentarySchema(DatedSchema):
    """Words of an author, a speaker or a reader, as a document carries them."""

    kind = Choice("CommentaryKind", COMMENTARY_KINDS, required=True)
    author = fields.Nested(
        PersonRefSchema,
        allow_none=True,
        load_default=None,
        metadata={"description": "Null when the source does not say who"},
    )
    speech = Choice("Speech", SPEECH, allow_none=True, load_default=None)
    text = Text(required=True)
    document = Slug(required=True)
    published = PartialDate(allow_none=True, load_default=None)
    published_text = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "The page's own relative phrase, e.g. '13 years ago'"},
    )
    countries = fields.List(CountryRef(), load_default=list)
    subjects = fields.List(fields.Nested(SubjectSchema), load_default=list)
    in_reply_to = Slug(allow_none=True, load_default=None)
    sources = Sources(required=True)
