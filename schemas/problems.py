"""RFC 9457 problem details: the body of every error response."""

from marshmallow import fields

from schemas.common import BaseSchema


class ProblemSchema(BaseSchema):
    """An RFC 9457 problem: what went wrong, for people and programs."""

    class Meta(BaseSchema.Meta):
        description = "RFC 9457 problem details"

    type = fields.String(
        required=True,
        metadata={"description": "URI naming the problem type; about:blank for plain HTTP errors"},
    )
    title = fields.String(
        required=True, metadata={"description": "Short summary of the problem type"}
    )
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    detail = fields.String(
        required=True, metadata={"description": "What went wrong in this request"}
    )
    instance = fields.String(metadata={"description": "The request path"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages by parameter or field path"},
    )
    suggestions = fields.List(
        fields.String(), metadata={"description": "Ids or paths near the one asked for"}
    )
    candidates = fields.List(
        fields.String(), metadata={"description": "Records an ambiguous name could mean"}
    )
    existing = fields.String(
        metadata={"description": "The record that already holds what was sent (a 409)"}
    )
