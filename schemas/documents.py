"""Source documents: the metadata beside each seed text."""

from marshmallow import fields, validate

from schemas.common import PartialDate, PersonRefSchema, RecordSchema, Text, WholeNumber


class DocumentSchema(RecordSchema):
    """An article or op-ed whose text every citation points into."""

    title = Text(required=True)
    authors = fields.List(fields.Nested(PersonRefSchema), load_default=list)
    publisher = Text(required=True)
    published = PartialDate(required=True, allow_none=True)
    dated = PartialDate(
        allow_none=True,
        load_default=None,
        metadata={"description": "Byline date, when it differs from the publication date"},
    )
    retrieved = PartialDate(allow_none=True, load_default=None)
    url = fields.Url(allow_none=True, load_default=None)
    rights = Text(required=True)
    language = fields.String(required=True, validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$"))
    sha256 = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$"),
        metadata={"description": "SHA-256 of the text's UTF-8 bytes"},
    )
    length = WholeNumber(
        dump_only=True, metadata={"description": "Length of the text in code points"}
    )
    comments_displayed = WholeNumber(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0),
        metadata={"description": "The comment count the page shows"},
    )
    comments_captured = WholeNumber(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0),
        metadata={"description": "How many comments the captured text holds"},
    )
