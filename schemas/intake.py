"""Intake: the worker's line as readiness reports it, and the feeds it polls."""

from marshmallow import fields

from schemas.common import BaseSchema, Choice, WholeNumber
from schemas.dataset import HealthSchema

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
