"""Source documents: the metadata beside each seed text."""

from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.common import PartialDate, PersonRefSchema, RecordSchema, Text, WholeNumber
from schemas.inputs import CONTROL_CHARACTERS, input_schema, no_control_characters

MAX_TEXT_LENGTH = 200_000  # code points: several times the longest article
MAX_HTML_LENGTH = 1_000_000  # characters; the request body limit applies too


def parsable_url(url: str) -> None:
    """A URL whose host and port can be read (no unbalanced brackets, a numeric port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is no number)
    except ValueError as exc:
        raise ValidationError(f"Not a valid URL: {exc}.") from exc
    if not parts.hostname:
        raise ValidationError("Not a valid URL: no host.")


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
    url = fields.String(
        allow_none=True,
        load_default=None,
        # no raw brackets: outside an IPv6 literal (which no article needs) they must be
        # percent-encoded, and an unbalanced one makes the URL unreadable
        validate=validate.Regexp(
            rf"^https?://[^\s/?#\[\]{CONTROL_CHARACTERS}]+[^\s\[\]{CONTROL_CHARACTERS}]*$",
            error="Not an http(s) URL.",
        ),
        metadata={"description": "Where the document was published (http or https)"},
    )
    rights = Text(
        required=True,
        metadata={
            "description": "Who holds the copyright and on what terms the text is kept and "
            "quoted here, e.g. 'Copyright the publisher; quoted for reference'"
        },
    )
    language = fields.String(required=True, validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$"))
    sha256 = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$"),
        metadata={"description": "SHA-256 of the text's UTF-8 bytes", "server_sets": True},
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


class DocumentCreateSchema(input_schema(DocumentSchema)):
    """A new document: its metadata and either its exact text or the page's HTML.

    The server computes ``sha256`` and ``length``. From ``html`` it keeps the
    article's main text (trafilatura) and the HTML itself, so extraction can be
    re-run.
    """

    class Meta(input_schema(DocumentSchema).Meta):
        always_present = False

    text = fields.String(
        validate=[validate.Length(min=1, max=MAX_TEXT_LENGTH), no_control_characters()],
        metadata={"description": "The text, stored exactly; citations count into it"},
    )
    html = fields.String(
        validate=[validate.Length(min=1, max=MAX_HTML_LENGTH), no_control_characters()],
        metadata={"description": "An HTML page whose main text becomes the document's text"},
    )

    @validates_schema
    def _one_body(self, data, **kwargs):
        given = [name for name in ("text", "html") if name in data]
        if len(given) != 1:
            raise ValidationError("Send the document as exactly one of text or html.", "text")
        if "text" in data and not data["text"].strip():
            raise ValidationError("The text is blank.", "text")
