"""Drafts: records extraction proposes from a document, until a curator decides."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, Choice, Slug
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
