"""Review: drafts a curator accepts, corrects or rejects, and extraction jobs.

Everything here needs a token with the scope ``drafts``; accepting a draft
also needs the scope of the collection the record joins.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from api.curation import inbox as review_inbox
from api.curation import passage, queue
from api.curation.review import Review
from api.domain import catalog
from api.store.entries import version
from api.store.errors import WriteError
from api.store.reads import decode
from api.web import editing, listing, representation
from api.web.problems import Problem, flatten_messages
from api.web.resources.base import (
    AUTH,
    CACHE_HEADERS,
    ID_PARAMETER,
    LINK_HEADER,
    TOKEN_READ_ERRORS,
    alternatives,
    strict_query,
)
from api.web.response import Response
from schemas.drafts import (
    CitedSelectionSchema,
    DraftAcceptSchema,
    DraftMergeSchema,
    DraftQuery,
    DraftRejectSchema,
    DraftSchema,
    InboxSchema,
    JobSchema,
    ResourceChangeSchema,
    SelectionSchema,
)
from schemas.pages import page_of

SCOPE = "drafts"
ACCEPT = DraftAcceptSchema()
REJECT = DraftRejectSchema()
SELECTION = SelectionSchema()
RETYPE = ResourceChangeSchema()
MERGE = DraftMergeSchema()
DraftPage = page_of(DraftSchema, "DraftPage")
ID = ID_PARAMETER
LOCATION = {"Location": {"description": "Where it is", "schema": {"type": "string"}}}
READ_ERRORS = TOKEN_READ_ERRORS

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


def _authenticate_resource(draft_id: str) -> None:
    """The token must hold the scope of the collection the draft's record joins."""
    resource = catalog.BY_NAME[decode(representation.get_store().draft(draft_id).json)["resource"]]
    editing.authenticate(resource)


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
    "verify, or an add_source draft is corrected in a field it does not add to its target "
    "(only sources, aliases, roles and memberships); nothing is stored.",
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
    _authenticate_resource(id)
    try:
        resource, written, _ = _review().accept(id, corrections, actor)
    except WriteError as exc:
        return editing.write_error(exc)
    return editing.record_response(resource, written, 201)


@blp.route("/drafts/<string:id>/reject", endpoint="reject", methods=["POST"])
@blp.doc(
    operationId="rejectDraft",
    summary="Reject a draft",
    description="Needs the same scopes as accepting it: `drafts` and the scope of the "
    "draft's resource. 409: the draft was decided already. 410: its document was deleted.",
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
    _authenticate_resource(id)  # whoever may reject a draft could have accepted it
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
    editing.authenticate((SCOPE, "documents"))  # a posted page's job too
    representation.negotiate((representation.JSON,))
    stored = representation.get_store().job(id)
    etag = representation.fresh(stored.etag, representation.JSON)
    return _private(Response(stored.json, mimetype=representation.JSON), etag)


def _draft_change(method: str, id: str, schema, key: str) -> Response:
    """A change to an open draft (its resource, or a merge), answered with the draft."""
    representation.negotiate((representation.JSON,))
    actor = editing.authenticate(SCOPE)
    value = _body(schema)[key]
    _authenticate_resource(id)
    try:
        body = getattr(_review(), method)(id, value, actor)
    except WriteError as exc:
        return editing.write_error(exc)
    return Response(body, mimetype=representation.JSON)


@blp.route("/drafts/<string:id>/resource", endpoint="draft_resource", methods=["POST"])
@blp.doc(
    operationId="changeDraftResource",
    summary="Change the resource a draft proposes",
    description="The draft stays open and proposes a record of `resource` instead (a "
    "meeting that is an event): the fields the new resource has are kept, the others "
    "dropped, and an add_source draft becomes a create. It is validated when accepted. "
    "Needs `drafts` and the scope of the draft's resource. 409: the draft was decided "
    "already. 410: its document was deleted. 422: the same resource, or not one drafts "
    "propose.",
    security=AUTH,
    parameters=[ID],
    requestBody={
        "required": True,
        "content": {representation.JSON: {"schema": ResourceChangeSchema}},
    },
    responses=alternatives(404, 409, 410, 413, 415, 422, 429, *READ_ERRORS),
)
@blp.response(200, DraftSchema, description="The draft, now of the new resource")
@editing.limiter.limit(editing.write_limit)
def draft_resource(id):
    """Change the resource a draft proposes."""
    return _draft_change("change_resource", id, RETYPE, "resource")


@blp.route("/drafts/<string:id>/merge", endpoint="merge", methods=["POST"])
@blp.doc(
    operationId="mergeDrafts",
    summary="Merge another draft into this one",
    description="Two open drafts of one document and resource that state the same fact "
    "become one: the other's citations are added to this draft's record (accepting it "
    "writes one record citing both spans), and the other is rejected as merged. 404: "
    "either draft is unknown. 409: either was decided already. 410: their document was "
    "deleted. 422: the same draft twice, or drafts of different documents or resources.",
    security=AUTH,
    parameters=[ID],
    requestBody={"required": True, "content": {representation.JSON: {"schema": DraftMergeSchema}}},
    responses=alternatives(404, 409, 410, 413, 415, 422, 429, *READ_ERRORS),
)
@blp.response(200, DraftSchema, description="This draft, with both drafts' citations")
@editing.limiter.limit(editing.write_limit)
def merge(id):
    """Merge another open draft into this one."""
    return _draft_change("merge", id, MERGE, "draft")


@blp.route("/documents/<string:id>/citations", endpoint="cite", methods=["POST"])
@blp.doc(
    operationId="citeSelection",
    summary="Make a citation from a selection in a document's text",
    description="The server cuts the quote at `start`..`end` (code points; whitespace at "
    "either end left out), verifies it like any citation and fills `prefix` and `suffix`; "
    "it stores nothing. `suggestions` are what the sentence around it names (countries, a "
    "date, known people), for the curator to confirm. 404/410: no such document. 422: an "
    "empty or blank selection, one past the end of the text, or a `quote` that is not the "
    "text there.",
    security=AUTH,
    parameters=[ID],
    requestBody={"required": True, "content": {representation.JSON: {"schema": SelectionSchema}}},
    responses=alternatives(404, 410, 413, 415, 422, *READ_ERRORS),
)
@blp.response(200, CitedSelectionSchema, description="The citation, verified")
def cite(id):
    """A verified citation of the words selected in a document."""
    representation.negotiate((representation.JSON,))
    editing.authenticate(SCOPE)
    selection = _body(SELECTION)
    data = representation.get_store()
    document = decode(data.get(catalog.DOCUMENTS, id).json)
    text, _ = data.document_text(document["id"])
    try:
        citation = passage.cite(
            document["id"], text, selection["start"], selection["end"], selection.get("quote")
        )
    except WriteError as exc:
        return editing.write_error(exc)
    people = [decode(body) for body in data.all(catalog.PEOPLE)]
    body = {"citation": citation, "suggestions": passage.suggest(text, citation, document, people)}
    response = Response(
        orjson.dumps(CitedSelectionSchema().dump(body)), mimetype=representation.JSON
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/inbox", endpoint="inbox")
@blp.doc(
    operationId="getDeskInbox",
    summary="Where review work waits",
    description="Documents with open drafts (drafts counted by resource and state, the "
    "longest waiting first), extraction jobs queued, running or failed (oldest first, a "
    "failed one with its problem), and the latest decisions.",
    security=AUTH,
    responses=alternatives(304, *READ_ERRORS),
)
@strict_query(blp)
@blp.response(200, InboxSchema, headers=CACHE_HEADERS)
def inbox(_args):
    """The curator's inbox."""
    editing.authenticate(SCOPE)
    representation.negotiate((representation.JSON,))
    data = representation.get_store()
    body = orjson.dumps(InboxSchema().dump(review_inbox.inbox(data.conn)))
    etag = representation.fresh(version(body), representation.JSON)
    return _private(Response(body, mimetype=representation.JSON), etag)
