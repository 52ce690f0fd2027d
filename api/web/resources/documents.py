"""Source documents and their exact text: `/v1/documents`."""

from api.domain import catalog
from api.web import editing, representation
from api.web.resources.base import CACHE_HEADERS, alternatives, resource_blueprint, strict_query
from schemas.documents import DocumentCreateSchema
from schemas.queries import DocumentQuery

blp = resource_blueprint(
    catalog.DOCUMENTS,
    DocumentQuery,
    plural="Documents",
    singular="Document",
    description="Source documents and their exact text",
    create_body=DocumentCreateSchema,
    create_view=editing.create_document,
)


@blp.route("/<string:id>/text", endpoint="text")
@blp.doc(
    operationId="getDocumentText",
    summary="Get a document's exact text",
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **alternatives(304, 404, 406),
    },
)
@strict_query(blp)
@blp.response(
    200,
    headers=CACHE_HEADERS,
    content_type="text/plain",
    description="The text every citation's offsets count into, byte for byte",
)
def text(_args, id):
    """The UTF-8 text as stored; offsets count its code points."""
    return representation.document_text(id)
