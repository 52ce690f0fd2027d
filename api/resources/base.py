"""The collection and item views every resource shares, documented once."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE, Schema

from api import http
from api.catalog import Resource
from schemas.common import BaseSchema
from schemas.pages import page_of


class NoQuery(BaseSchema):
    """An operation that takes no query parameters (any given is a 400)."""


def strict_query(blp: Blueprint, schema: type[Schema] = NoQuery):
    """Validate query parameters with ``schema``: unknown or bad ones are a 400."""
    return blp.arguments(
        schema, location="query", unknown=RAISE, error_status_code=400, as_kwargs=False
    )


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


def resource_blueprint(
    resource: Resource,
    query: type[Schema],
    *,
    plural: str,
    singular: str,
    description: str,
    key: str = "id",
    key_description: str = "Record id",
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
        responses={200: {"content": CSV_CONTENT}},
    )
    @strict_query(blp, query)
    @blp.response(
        200,
        page,
        headers={**CACHE_HEADERS, **LINK_HEADER},
        description="A page of records (JSON), or the records as CSV",
    )
    @blp.alt_response(304, response="NOT_MODIFIED")
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    def collection(args):
        return http.listing(resource, args)

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
    )
    @strict_query(blp)
    @blp.response(200, resource.schema, headers=CACHE_HEADERS)
    @blp.alt_response(304, response="NOT_MODIFIED")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    def item(_args, **path):
        return http.record(resource, path[key])

    return blp
