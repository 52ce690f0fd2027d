"""Search hits."""

from marshmallow import fields

from schemas.common import BaseSchema, Choice
from schemas.queries import SEARCH_TYPES


class SearchHitSchema(BaseSchema):
    """A record that matches the words searched for."""

    class Meta(BaseSchema.Meta):
        always_present = True

    type = Choice("SearchType", SEARCH_TYPES)
    id = fields.String()
    title = fields.String()
    snippet = fields.String(
        metadata={"description": "Text around the match, matched words in <mark>…</mark>"}
    )
    score = fields.Float(metadata={"description": "BM25 relevance: non-negative, higher is better"})
    href = fields.String(metadata={"description": "The record's URL"})
