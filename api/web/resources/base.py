"""The collection and item views every resource shares, documented once."""

from __future__ import annotations

import datetime
import functools
from http import HTTPStatus

from flask import request
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema

from api.domain.catalog import Resource
from api.store.writer import WRITABLE
from api.web import editing, listing, representation
from api.web.recent import Recent
from schemas.common import BaseSchema
from schemas.inputs import input_schema, patch_schema
from schemas.pages import page_of
from schemas.queries import without


class NoQuery(BaseSchema):
    """An operation that takes no query parameters (any given is a 400)."""


SCALARS = (str, int, float, type(None), datetime.date)  # immutable: shared, not copied

# The id in a token-only operation's path, and the errors any such read may answer.
ID_PARAMETER = {
    "in": "path",
    "name": "id",
    "required": True,
    "schema": {"type": "string", "minLength": 1},
}
TOKEN_READ_ERRORS = (400, 401, 403, 406)


def _flat(value) -> bool:
    return isinstance(value, SCALARS) or (
        type(value) is list and all(isinstance(v, SCALARS) for v in value)
    )


def _copy(arguments: dict) -> dict:
    """A copy of flat arguments: its lists are its own."""
    return {k: v.copy() if type(v) is list else v for k, v in arguments.items()}


class ParsedQueries:
    """Valid query strings' parsed arguments, by operation: the latest ``size`` kept.

    Parsed arguments depend on the query string alone, so a repeated query (a
    polled first page, a revalidation with If-None-Match) need not be parsed
    again. Long query strings are not kept, which bounds the memory used. Only
    flat arguments are kept (scalars and lists of scalars, as query parameters
    parse to): views get a copy of each list, so a view's changes stay its own.
    """

    def __init__(self, size: int = 1024, longest: int = 512) -> None:
        self.longest = longest
        self._known: Recent[dict] = Recent(size)

    def get(self, operation: int, query: bytes) -> dict | None:
        found = self._known.get((operation, query))
        return None if found is None else _copy(found)

    def keep(self, operation: int, query: bytes, arguments: dict) -> None:
        if len(query) <= self.longest and all(_flat(v) for v in arguments.values()):
            self._known.keep((operation, query), _copy(arguments))


PARSED = ParsedQueries()


def strict_query(blp: Blueprint, schema: type[Schema] = NoQuery):
    """Validate query parameters with ``schema``: unknown or bad ones are a 400.

    A query string parsed recently, the empty one included, gets the arguments
    it was parsed to (``PARSED``). An invalid query string is parsed, and
    refused, every time.
    """
    # An instance, not the class: webargs would build one per request.
    arguments = blp.arguments(
        schema(), location="query", unknown=RAISE, error_status_code=400, as_kwargs=False
    )

    def decorate(view):
        operation = id(view)

        @functools.wraps(view)
        def keep(args, *rest, **kwargs):
            PARSED.keep(operation, request._get_current_object().query_string, args)
            return view(args, *rest, **kwargs)

        parsed = arguments(keep)

        @functools.wraps(parsed)
        def with_known(*args, **kwargs):
            found = PARSED.get(operation, request._get_current_object().query_string)
            if found is None:
                return parsed(*args, **kwargs)
            return view(found, *args, **kwargs)

        return with_known

    return decorate


CACHE_HEADERS = {
    "ETag": {
        "description": "Strong entity tag of this representation",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"schema": {"type": "string"}},
}
LINK_HEADER = {
    "Link": {
        "description": 'RFC 8288 link to the next page (rel="next"), when there is one',
        "schema": {"type": "string"},
    },
}
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}
CSV_DESCRIPTION = (
    "Every matching record as CSV, a nested object's fields in dotted columns, streamed; "
    "with `limit`, one page (the next in the Link header)"
)

# The other representations, each its own operation (/v1/agreements.csv,
# /v1/briefs/{a}/{b}.md), so that a typed client's JSON operation returns JSON
# only. The plain paths still honour Accept and format=.
FORMATS = Blueprint(
    "formats",
    __name__,
    url_prefix="/v1",
    description="Collections as CSV and briefs as Markdown, each its own operation",
)


def csv_operation(name: str, operation_id: str, query: type[Schema], view) -> None:
    """Register ``GET /v1/{name}.csv``: ``view(args)`` with the format set to CSV."""

    @FORMATS.route(f"/{name}.csv", endpoint=f"{name}_csv")
    @FORMATS.doc(
        operationId=operation_id,
        summary=f"The {name} as CSV",
        responses={200: {"content": CSV_CONTENT}, **alternatives(304, 406)},
    )
    @strict_query(FORMATS, without(query, "format", "facet"))
    @FORMATS.response(
        200,
        content_type="text/csv",
        headers={**CACHE_HEADERS, **LINK_HEADER},
        description=CSV_DESCRIPTION,
    )
    def as_csv(args):
        return view({**args, "format": "csv"})


def alternatives(*statuses: int) -> dict:
    """Other responses of an operation, for ``blp.doc``: each its shared component.

    Every view documents them this way: ``blp.alt_response`` would document the
    same, but wraps the view once per status (one more call and context lookup
    on every request).
    """
    return {status: HTTPStatus(status).name for status in statuses}


def resource_blueprint(
    resource: Resource,
    query: type[Schema],
    *,
    plural: str,
    singular: str,
    description: str,
    key: str = "id",
    key_description: str = "Record id",
    create_body: type[Schema] | None = None,
    create_view=None,
    create_responses: dict | None = None,
) -> Blueprint:
    """A blueprint with ``GET /v1/<resource>`` and ``GET /v1/<resource>/{key}``."""
    blp = Blueprint(
        resource.name, __name__, url_prefix=f"/v1/{resource.name}", description=description
    )
    page = page_of(resource.schema, f"{singular}Page", facets=True)

    @blp.route("", endpoint="collection")
    @blp.doc(
        operationId=f"list{plural}",
        summary=f"List {resource.name}",
        responses=alternatives(304, 406),
    )
    @strict_query(blp, query)
    @blp.response(
        200,
        page,
        headers={**CACHE_HEADERS, **LINK_HEADER},
        description=f"A page of records; the CSV is `GET /v1/{resource.name}.csv`",
    )
    def collection(args):
        return listing.listing(resource, args)

    csv_operation(
        resource.name,
        f"list{plural}Csv",
        query,
        lambda args: listing.listing(resource, args),
    )

    @blp.route(f"/<string:{key}>", endpoint="item")
    @blp.doc(
        operationId=f"get{singular}",
        summary=f"Get one {resource.singular}",
        parameters=[
            {
                "in": "path",
                "name": key,
                "required": True,
                "description": key_description,
                "schema": {"type": "string", "minLength": 1},
            }
        ],
        responses=alternatives(304, 404, 406),
    )
    @strict_query(blp)
    @blp.response(200, resource.schema, headers=CACHE_HEADERS)
    def item(_args, **path):
        return representation.record(resource, path[key], key)

    if resource in WRITABLE or create_view is not None:
        _writes(blp, resource, singular, create_body, create_view, create_responses)
    return blp


AUTH = [{"bearerAuth": []}]
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the record as last read; a stale one is refused (412)",
}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Makes the POST safe to retry: the same key and body replay the first "
    "response; another body is a 422; a concurrent duplicate a 409",
}
WRITE_ERRORS = (401, 403, 413, 415, 422, 429)


def _writes(
    blp: Blueprint,
    resource: Resource,
    singular: str,
    create_body=None,
    create_view=None,
    create_responses=None,
) -> None:
    """POST on the collection; PATCH and DELETE on an item: token only.

    ``create_body`` and ``create_view`` replace the body and view of the POST
    (a document's text is sent beside its metadata); ``create_responses`` adds
    the answers that view gives besides the created record.
    """
    body = create_body or input_schema(resource.schema)
    patch = patch_schema(resource.schema)
    a = "an" if resource.singular[0] in "aeiou" else "a"
    limited = editing.limiter.limit(editing.write_limit)
    auth_limited = editing.limiter.limit(
        editing.auth_failure_limit,
        key_func=editing.failure_key,
        deduct_when=editing.is_auth_failure,
        exempt_when=editing.presents_valid_token,
    )

    @blp.route("", endpoint="create", methods=["POST"])
    @blp.doc(
        operationId=f"create{singular}",
        summary=f"Create {a} {resource.singular}",
        security=AUTH,
        parameters=[IDEMPOTENCY_KEY],
        requestBody={"required": True, "content": {representation.JSON: {"schema": body}}},
        responses={**alternatives(400, 406, 409, *WRITE_ERRORS), **(create_responses or {})},
    )
    @blp.response(
        201, resource.schema, headers=CACHE_HEADERS, description="Created; Location names it"
    )
    @limited
    @auth_limited
    def create():
        if create_view is not None:
            return create_view()
        return editing.create(resource)

    @blp.route("/<string:id>", endpoint="update", methods=["PATCH"])
    @blp.doc(
        operationId=f"update{singular}",
        summary=f"Change {a} {resource.singular}",
        security=AUTH,
        parameters=[IF_MATCH],
        # One media type: openapi-python-client 0.29 generates a module that cannot
        # be imported (`Unset` undefined) for two media types of one schema.
        requestBody={
            "required": True,
            "description": "A JSON merge patch (RFC 7396); sent as application/json, "
            "it is read the same way.",
            "content": {editing.MERGE_PATCH: {"schema": patch}},
        },
        responses=alternatives(400, 404, 406, 410, 412, 428, *WRITE_ERRORS),
    )
    @blp.response(200, resource.schema, headers=CACHE_HEADERS)
    @limited
    @auth_limited
    def update(id):
        return editing.update(resource, id)

    @blp.route("/<string:id>", endpoint="delete", methods=["DELETE"])
    @blp.doc(
        operationId=f"delete{singular}",
        summary=f"Delete {a} {resource.singular}",
        security=AUTH,
        parameters=[IF_MATCH],
        responses=alternatives(400, 404, 409, 410, 412, 428, *WRITE_ERRORS),
    )
    @blp.response(204, description="Deleted; the id answers 410 from now on")
    @limited
    @auth_limited
    def delete(id):
        return editing.delete(resource, id)
