"""Intake: the worker's line as readiness reports it, and the feeds it polls."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, Choice, WholeNumber
from schemas.dataset import HealthSchema
from schemas.documents import parsable_url
from schemas.inputs import CONTROL_CHARACTERS

WORKER_STATES = ("running", "stopped")


class IntakeSchema(BaseSchema):
    """Whether the worker runs, and how deep its line is."""

    class Meta(BaseSchema.Meta):
        always_present = True

    worker = Choice(
        "WorkerState",
        WORKER_STATES,
        metadata={"description": "running while the worker's heartbeat is fresh"},
    )
    heartbeat_age = fields.Float(
        allow_none=True, metadata={"description": "Seconds since the worker's last heartbeat"}
    )
    queued = WholeNumber(metadata={"description": "Jobs waiting"})
    running = WholeNumber(metadata={"description": "Jobs running"})
    limit = WholeNumber(metadata={"description": "Jobs the line holds before a 503"})
    done = WholeNumber(metadata={"description": "Jobs done since the worker started"})
    failed = WholeNumber(metadata={"description": "Jobs failed since the worker started"})
    killed = WholeNumber(
        metadata={"description": "Job processes killed (time, memory) since the worker started"}
    )
    problem = fields.String(
        allow_none=True,
        metadata={"description": "What the running worker cannot do (read HTML pages), and why"},
    )


class ReadinessSchema(HealthSchema):
    intake = fields.Nested(
        IntakeSchema,
        allow_none=True,
        metadata={"description": "The intake worker and its line; null on a replica"},
    )


FEED_ENTRY_STATES = ("queued", "stored", "duplicate", "reprint", "failed")


class FeedCreateSchema(BaseSchema):
    """A feed to poll: its address and how often."""

    url = fields.String(
        required=True,
        validate=[
            validate.Length(max=2000),
            validate.Regexp(
                rf"^https?://[^\s/?#{CONTROL_CHARACTERS}]+[^\s{CONTROL_CHARACTERS}]*$",
                error="Not an http(s) URL.",
            ),
            parsable_url,
        ],
        metadata={"description": "The RSS or Atom feed's address (http or https)"},
    )
    every = fields.String(
        load_default="30m",
        validate=validate.Regexp(
            r"^\d{1,7}[smhd]?$", error="An interval such as 45s, 30m, 2h or 1d."
        ),
        metadata={"description": "How often it is polled: 10 s to 7 days (45s, 30m, 2h, 1d)"},
    )


class FeedEntryCountsSchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    queued = WholeNumber()
    stored = WholeNumber(metadata={"description": "Stored as new documents"})
    duplicate = WholeNumber(metadata={"description": "Skipped: the same URL or text is stored"})
    reprint = WholeNumber(metadata={"description": "Recorded as reprints of a stored document"})
    failed = WholeNumber()


class FeedEntrySchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    url = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    state = Choice("FeedEntryState", FEED_ENTRY_STATES)
    document = fields.String(
        allow_none=True,
        metadata={"description": "The document stored, or the one it duplicates or reprints"},
    )
    similarity = fields.Float(
        allow_none=True, metadata={"description": "A reprint's estimated likeness (0-1)"}
    )
    detail = fields.String(allow_none=True, metadata={"description": "Why, when not stored"})
    seen = fields.String()


class FeedSchema(BaseSchema):
    """A feed the worker polls: when, how it went, what its entries became."""

    class Meta(BaseSchema.Meta):
        always_present = True

    id = fields.String(required=True)
    url = fields.String(required=True)
    every = WholeNumber(required=True, metadata={"description": "Seconds between polls"})
    title = fields.String(allow_none=True)
    created = fields.String(required=True)
    last_poll = fields.String(allow_none=True)
    next_poll = fields.String(allow_none=True)
    last_error = fields.String(
        allow_none=True, metadata={"description": "Why the last poll failed"}
    )
    failures = WholeNumber(
        metadata={"description": "Polls failed in a row (each doubles the wait)"}
    )
    entries = fields.Nested(FeedEntryCountsSchema)
    recent = fields.List(
        fields.Nested(FeedEntrySchema), metadata={"description": "The latest entries seen"}
    )


class FeedListSchema(BaseSchema):
    class Meta(BaseSchema.Meta):
        always_present = True

    items = fields.List(fields.Nested(FeedSchema), required=True)
