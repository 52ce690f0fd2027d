"""Review: drafts a curator accepts, corrects or rejects, and extraction jobs.

Everything here needs a token with the scope ``drafts``; accepting a draft
also needs the scope of the collection the record joins.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from api.curation import queue
from api.curation.review import Review
from api.domain import catalog
from api.store.errors import WriteError
from api.store.reads import decode
from api.web import editing, listing, representation
from api.web.problems import Problem, flatten_messages
from api.web.resources.base import AUTH, CACHE_HEADERS, LINK_HEADER, alternatives, strict_query
from api.web.response import Response
from schemas.drafts import (
    DraftAcceptSchema,
    DraftQuery,
    DraftRejectSchema,
    DraftSchema,
    JobSchema,
)
from schemas.pages import page_of

SCOPE = "drafts"
ACCEPT = DraftAcceptSchema()
REJECT = DraftRejectSchema()
DraftPage = page_of(DraftSchema, "DraftPage")
ID = {"in": "path", "name": "id", "required": True, "schema": {"type": "string", "minLength": 1}}
LOCATION = {"Location": {"description": "Where it is", "schema": {"type": "string"}}}
READ_ERRORS = (400, 401, 403, 406)

blp = Blueprint(
    "drafts", __name__, url_prefix="/v1", description="Drafts from documents, and their review"
)


def _review() -> Review:
    return Review(editing.writer())


def _private(response: Response, etag: str) -> Response:
    """Drafts and jobs are a curator's: no shared cache may keep them."""
    response = representation.finish(response, etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.route("/drafts", endpoint="drafts")
@blp.doc(
    operationId="listDrafts",
    summary="List drafts",
    security=AUTH,
    responses=alternatives(304, *READ_ERRORS),
)
@strict_query(blp, DraftQuery)
@blp.response(200, DraftPage, headers={**CACHE_HEADERS, **LINK_HEADER})
def drafts(args):
    """Drafts in the order they were made, by document, resource and state."""
    editing.authenticate(SCOPE)
    data = representation.get_store()
    response = listing.paged(
        "drafts",
        DraftSchema(),
        args,
        lambda after, limit: data.drafts(
            args.get("document"), args.get("resource"), args.get("state"), limit, after
        ),
        offered=(representation.JSON,),
        version=data.drafts_version(),
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.route("/drafts/<string:id>", endpoint="draft")
@blp.doc(
    operationId="getDraft",
    summary="Get one draft",
    security=AUTH,
    parameters=[ID],
    responses=alternatives(304, 404, 410, *READ_ERRORS),
)
@strict_query(blp)
@blp.response(200, DraftSchema, headers=CACHE_HEADERS)
def draft(_args, id):
    """A draft: the proposed record, its citations, matches and state."""
    editing.authenticate(SCOPE)
    representation.negotiate((representation.JSON,))
    stored = representation.get_store().draft(id)
    etag = representation.fresh(stored.etag, representation.JSON)
    return _private(Response(stored.json, mimetype=representation.JSON), etag)


def _body(schema) -> dict:
    """The request's JSON object loaded by ``schema`` (no body at all is an empty one)."""
    body = editing.json_body(representation.JSON, optional=schema is ACCEPT)
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise Problem(422, "The body is not valid.", errors=flatten_messages(exc.messages)) from exc


@blp.route("/drafts/<string:id>/accept", endpoint="accept", methods=["POST"])
@blp.doc(
    operationId="acceptDraft",
    summary="Accept a draft",
    description="Writes the draft's record, with the corrections merged in, through the "
    "same validation as a direct POST (an add_source draft adds its citations to its "
    "target instead). 409: the draft was decided already. 410: its document (or its "
    "target) was deleted. 422: the corrected record is not valid or a citation does not "
    "verify; nothing is stored.",
    security=AUTH,
    parameters=[ID],
    requestBody={
        "required": False,
        "content": {representation.JSON: {"schema": DraftAcceptSchema}},
    },
    responses={
        201: {
            "description": "The record written or extended; Location names it",
            "headers": LOCATION,
            "content": {representation.JSON: {"schema": {"type": "object"}}},
        },
        **alternatives(404, 409, 410, 413, 415, 422, 429, *READ_ERRORS),
    },
)
@editing.limiter.limit(editing.write_limit)
def accept(id):
    """Accept a draft, with optional corrections."""
    representation.negotiate((representation.JSON,))
    actor = editing.authenticate(SCOPE)
    corrections = _body(ACCEPT)["corrections"]
    resource = catalog.BY_NAME[decode(representation.get_store().draft(id).json)["resource"]]
    editing.authenticate(resource)  # the record joins that collection: its scope too
    try:
        resource, written, _ = _review().accept(id, corrections, actor)
    except WriteError as exc:
        return editing.write_error(exc)
    return editing.record_response(resource, written, 201)


@blp.route("/drafts/<string:id>/reject", endpoint="reject", methods=["POST"])
@blp.doc(
    operationId="rejectDraft",
    summary="Reject a draft",
    description="409: the draft was decided already. 410: its document was deleted.",
    security=AUTH,
    parameters=[ID],
    requestBody={"required": True, "content": {representation.JSON: {"schema": DraftRejectSchema}}},
    responses=alternatives(404, 409, 410, 413, 415, 422, 429, *READ_ERRORS),
)
@blp.response(200, DraftSchema, description="The draft, now rejected")
@editing.limiter.limit(editing.write_limit)
def reject(id):
    """Reject a draft, saying why."""
    representation.negotiate((representation.JSON,))
    actor = editing.authenticate(SCOPE)
    reason = _body(REJECT)["reason"]
    try:
        body = _review().reject(id, reason, actor)
    except WriteError as exc:
        return editing.write_error(exc)
    return Response(body, mimetype=representation.JSON)


@blp.route("/documents/<string:id>/extract", endpoint="extract", methods=["POST"])
@blp.doc(
    operationId="extractDocument",
    summary="Extract drafts from a document",
    description="Queues an extraction job; the extraction worker makes the document's "
    "drafts. Follow Location to the job.",
    security=AUTH,
    parameters=[ID],
    responses={
        202: {"description": "Queued; Location names the job", "headers": LOCATION},
        **alternatives(404, 410, 429, 503, *READ_ERRORS),
    },
)
@blp.response(202, JobSchema)
@editing.limiter.limit(editing.write_limit)
def extract(id):
    """Queue the extraction of a stored document."""
    representation.negotiate((representation.JSON,))
    editing.authenticate(SCOPE)
    try:
        body = queue.submit(Path(current_app.config["DB"]), id)
    except WriteError as exc:
        return editing.write_error(exc)
    job_id = decode(body)["id"]
    response = Response(body, status=202, mimetype=representation.JSON)
    response.headers["Location"] = f"{request.script_root}/v1/jobs/{job_id}"
    return response


@blp.route("/jobs/<string:id>", endpoint="job")
@blp.doc(
    operationId="getJob",
    summary="Get an extraction job",
    security=AUTH,
    parameters=[ID],
    responses=alternatives(304, 404, *READ_ERRORS),
)
@strict_query(blp)
@blp.response(200, JobSchema, headers=CACHE_HEADERS)
def job(_args, id):
    """A job's state: queued, running, done (with its count of drafts) or failed."""
    editing.authenticate(SCOPE)
    representation.negotiate((representation.JSON,))
    stored = representation.get_store().job(id)
    etag = representation.fresh(stored.etag, representation.JSON)
    return _private(Response(stored.json, mimetype=representation.JSON), etag)
