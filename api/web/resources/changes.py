"""The change feed, so other services can follow writes without re-reading everything."""

from __future__ import annotations

from urllib.parse import urlencode

import orjson
from flask import request
from flask_smorest import Blueprint

from api.web import listing, representation
from api.web.resources.base import CACHE_HEADERS, LINK_HEADER, alternatives, strict_query
from api.web.response import Response
from schemas.changes import ChangeSchema, ChangesQuery
from schemas.pages import page_of

blp = Blueprint("changes", __name__, url_prefix="/v1", description="Every write, in order")
ChangePage = page_of(ChangeSchema, "ChangePage")


@blp.route("/changes", endpoint="changes")
@blp.doc(
    operationId="listChanges",
    summary="Writes after a point in the feed, oldest first",
    responses=alternatives(304, 406),
)
@strict_query(blp, ChangesQuery)
@blp.response(200, ChangePage, headers={**CACHE_HEADERS, **LINK_HEADER})
def changes(args):
    """Poll with `since` set to the last `seq` you processed; `next` carries it on."""
    representation.negotiate((representation.JSON,))
    data = representation.get_store()
    etag = representation.fresh(data.data_version(), representation.JSON)
    rows = data.changes(args["since"], args["limit"] + 1)
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    items = [
        {
            "seq": seq,
            "at": at,
            "action": action,
            "type": resource,
            "id": record_id,
            "before": orjson.loads(before) if before else None,
            "after": orjson.loads(after) if after else None,
        }
        for seq, at, action, resource, record_id, before, after in rows
    ]
    next_cursor = str(rows[-1][0]) if more else None
    next_url = (
        f"{listing.public_root()}{request.path}?"
        f"{urlencode({'since': next_cursor, 'limit': args['limit']})}"
        if more
        else None
    )
    body = {"items": items, "next": next_url, "next_cursor": next_cursor}
    response = representation.finish(
        Response(orjson.dumps(body), mimetype=representation.JSON), etag
    )
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response
