"""Source documents and their exact text: `/v1/documents`."""

from api.domain import catalog
from api.store import lookup
from api.web import editing, representation
from api.web.resources.base import CACHE_HEADERS, alternatives, resource_blueprint, strict_query
from schemas.documents import DocumentCreateSchema
from schemas.drafts import JobSchema
from schemas.queries import DocumentQuery

LOCATION = {"Location": {"description": "The job", "schema": {"type": "string"}}}

blp = resource_blueprint(
    catalog.DOCUMENTS,
    DocumentQuery,
    plural="Documents",
    singular="Document",
    description="Source documents and their exact text",
    create_body=DocumentCreateSchema,
    create_view=editing.create_document,
    create_responses={
        202: {
            "description": "Sent as html: the page is read into text by the worker; "
            "Location names the job, which names the document once it is stored (or "
            "fails with a problem saying why)",
            "headers": LOCATION,
            "content": {"application/json": {"schema": JobSchema}},
        },
        **alternatives(503),
    },
)


@blp.route("/<string:id>/text", endpoint="text")
@blp.doc(
    operationId="getDocumentText",
    summary="Get a document's exact text",
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **alternatives(304, 404, 406, 410),
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
    """The UTF-8 text as stored; offsets count its code points. A deleted document's is a 410."""
    try:
        return representation.document_text(id)
    except lookup.NotFound:
        representation.get_store().get(catalog.DOCUMENTS, id)  # Gone when it was deleted
        raise
