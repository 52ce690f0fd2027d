"""Drafts: records extraction proposes from a document, until a curator decides."""

from marshmallow import fields, validate

from schemas.common import MAX_INT, BaseSchema, Choice, Slug, SourceSchema, WholeNumber
from schemas.inputs import no_control_characters
from schemas.problems import ProblemSchema
from schemas.queries import PageQuery

DRAFT_RESOURCES = (
    "agreements",
    "meetings",
    "events",
    "indicators",
    "commentary",
    "people",
    "organizations",
)
DRAFT_STATES = ("open", "accepted", "rejected")
DRAFT_ACTIONS = ("create", "add_source")
JOB_STATES = ("queued", "running", "done", "failed")


class MatchSchema(BaseSchema):
    """An existing record the draft may restate, and how alike they are."""

    class Meta(BaseSchema.Meta):
        always_present = True

    id = Slug(required=True, metadata={"description": "Id of a record of the draft's resource"})
    score = fields.Float(required=True, validate=validate.Range(min=0, max=1))


class DraftSchema(BaseSchema):
    """A record proposed from a document, with its citations, until accepted or rejected."""

    class Meta(BaseSchema.Meta):
        always_present = True

    id = fields.String(required=True)
    document = Slug(required=True, metadata={"description": "The document it was read from"})
    job = fields.String(
        allow_none=True, metadata={"description": "The extraction job that made it"}
    )
    resource = Choice(
        "DraftResource",
        DRAFT_RESOURCES,
        required=True,
        metadata={"description": "The collection the record would join"},
    )
    action = Choice(
        "DraftAction",
        DRAFT_ACTIONS,
        required=True,
        metadata={
            "description": "create: a new record; add_source: the record's citations are "
            "added to the existing record `target` (corroboration)"
        },
    )
    target = Slug(
        allow_none=True, metadata={"description": "The record an add_source draft extends"}
    )
    state = Choice("DraftState", DRAFT_STATES, required=True)
    record = fields.Dict(
        required=True,
        metadata={
            "description": "The proposed body, in the input schema of `resource` (for "
            "add_source, at least the new `sources`); every citation verifies"
        },
    )
    matches = fields.List(fields.Nested(MatchSchema), required=True)
    confidence = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    reasons = fields.List(
        fields.String(), required=True, metadata={"description": "Why extraction proposed it"}
    )
    accepted_as = Slug(
        allow_none=True, metadata={"description": "The record written when it was accepted"}
    )
    rejected_because = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "The token's name"})
    created = fields.String(required=True, metadata={"description": "UTC, ISO 8601"})
    decided = fields.String(allow_none=True, metadata={"description": "UTC, ISO 8601"})


class DraftAcceptSchema(BaseSchema):
    """An accept, with the curator's corrections to the proposed record."""

    corrections = fields.Dict(
        load_default=dict,
        metadata={
            "description": "A JSON merge patch (RFC 7396) applied to `record` before it is "
            "validated by the resource's input schema and written"
        },
    )


class DraftRejectSchema(BaseSchema):
    """A reject, and why."""

    reason = fields.String(
        required=True, validate=[validate.Length(min=1, max=2000), no_control_characters()]
    )


class DraftQuery(PageQuery):
    """Filters of the drafts collection (JSON only: drafts are a curator's work list)."""

    class Meta(PageQuery.Meta):
        exclude = ("format",)

    document = Slug(metadata={"description": "Only drafts read from this document"})
    resource = Choice("DraftResource", DRAFT_RESOURCES)
    state = Choice("DraftState", DRAFT_STATES)


class JobSchema(BaseSchema):
    """An extraction run: queued, running, done (with its drafts) or failed (with why)."""

    class Meta(BaseSchema.Meta):
        always_present = True

    id = fields.String(required=True)
    document = Slug(required=True)
    state = Choice("JobState", JOB_STATES, required=True)
    drafts = fields.Integer(
        allow_none=True, metadata={"description": "How many drafts it made (when done)"}
    )
    problem = fields.Nested(
        ProblemSchema, allow_none=True, metadata={"description": "Why it failed"}
    )
    created = fields.String(required=True)
    started = fields.String(allow_none=True)
    finished = fields.String(allow_none=True)


class SelectionSchema(BaseSchema):
    """Words a curator selected in a document's text, by their offsets in it."""

    start = WholeNumber(
        required=True,
        validate=validate.Range(min=0, max=MAX_INT),
        metadata={"description": "Offset of the selection's first character, in code points"},
    )
    end = WholeNumber(
        required=True,
        validate=validate.Range(min=0, max=MAX_INT),
        metadata={"description": "Offset just past its last character, in code points"},
    )
    quote = fields.String(
        validate=[validate.Length(max=20000), no_control_characters()],
        metadata={
            "description": "The words as the curator saw them selected: when given, they "
            "must be what the text holds at those offsets (whitespace at the ends aside)"
        },
    )


class SentenceSchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class SuggestionSchema(BaseSchema):
    """What the sentence around a selection names, for a curator to confirm."""

    class Meta(BaseSchema.Meta):
        always_present = True

    countries = fields.List(fields.String(), required=True, metadata={"description": "Codes"})
    date = fields.String(
        allow_none=True, metadata={"description": "Its first date, at the source's precision"}
    )
    people = fields.List(fields.String(), required=True, metadata={"description": "Known ids"})
    sentence = fields.Nested(SentenceSchema, required=True)


class CitedSelectionSchema(BaseSchema):
    """A selection as a verified citation, and what its sentence suggests."""

    class Meta(BaseSchema.Meta):
        always_present = True

    citation = fields.Nested(SourceSchema, required=True)
    suggestions = fields.Nested(SuggestionSchema, required=True)


class ResourceChangeSchema(BaseSchema):
    """The collection a draft's record should join instead."""

    resource = Choice("DraftResource", DRAFT_RESOURCES, required=True)


class DraftMergeSchema(BaseSchema):
    """Another open draft of the same document and resource, stating the same fact."""

    draft = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=40), no_control_characters()],
        metadata={"description": "Its citations join this draft's; it is rejected as merged"},
    )


class InboxDocumentSchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    id = Slug(required=True)
    title = fields.String(required=True)
    published = fields.String(allow_none=True)
    open = fields.Integer(required=True, metadata={"description": "Its open drafts"})
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        required=True,
        metadata={"description": "Drafts by resource, then by state"},
    )


class InboxSchema(BaseSchema):
    """The desk's inbox: where review work waits."""

    class Meta(BaseSchema.Meta):
        always_present = True

    documents = fields.List(
        fields.Nested(InboxDocumentSchema),
        required=True,
        metadata={"description": "Documents with open drafts, the longest waiting first"},
    )
    jobs = fields.List(
        fields.Nested(JobSchema),
        required=True,
        metadata={"description": "Extraction jobs queued, running or failed, oldest first"},
    )
    decisions = fields.List(
        fields.Nested(DraftSchema),
        required=True,
        metadata={"description": "The latest drafts accepted or rejected, newest first"},
    )
