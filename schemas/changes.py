"""The change feed: every write, in order."""

from marshmallow import fields, validate

from schemas.common import MAX_INT, BaseSchema, Choice, WholeNumber
from schemas.queries import DEFAULT_LIMIT, MAX_LIMIT


class ChangeSchema(BaseSchema):
    """One write: what it did to which record, and the record before and after."""

    class Meta(BaseSchema.Meta):
        always_present = True

    seq = fields.Integer(metadata={"description": "Position in the feed; pass it as `since`"})
    at = fields.String(metadata={"description": "When (UTC, ISO 8601)"})
    action = Choice("ChangeAction", ("create", "update", "delete"))
    type = fields.String(metadata={"description": "The resource, e.g. agreements"})
    id = fields.String()
    before = fields.Dict(allow_none=True, metadata={"description": "null for a create"})
    after = fields.Dict(allow_none=True, metadata={"description": "null for a delete"})


class ChangesQuery(BaseSchema):
    since = WholeNumber(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_INT),  # WholeNumber's own bound
        metadata={"description": "Only changes after this `seq` (0: from the start)"},
    )
    limit = WholeNumber(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Page size, 1-{MAX_LIMIT}"},
    )
