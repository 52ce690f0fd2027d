"""The dataset as a whole: its description, its downloads, and its change feed (every
write, in order, so other services can follow writes without re-reading everything)."""

from __future__ import annotations

from urllib.parse import urlencode

import orjson
from flask import current_app, request, send_file
from flask_smorest import Blueprint

from api.domain import catalog
from api.store.snapshots import Busy, snapshot
from api.web import listing, representation
from api.web.problems import Problem
from api.web.recent import Recent
from api.web.resources.base import CACHE_HEADERS, LINK_HEADER, alternatives, strict_query
from api.web.response import Response
from schemas.changes import ChangeSchema, ChangesQuery
from schemas.dataset import DatasetSchema
from schemas.pages import page_of

blp = Blueprint("dataset", __name__, url_prefix="/v1", description="The whole dataset")
NDJSON, SQLITE, OCTET = representation.NDJSON, representation.SQLITE, representation.OCTET
# Generated clients read no binary media type but application/octet-stream.
BYTES = {"schema": {"type": "string", "format": "binary"}}
# By database and data version: the pairs change only with a write.
PAIRS: Recent[list] = Recent(8)


@blp.route("/dataset", endpoint="describe")
@blp.doc(operationId="getDataset", summary="Describe the dataset", responses=alternatives(304, 406))
@strict_query(blp)
@blp.response(200, DatasetSchema, headers=CACHE_HEADERS)
def describe(_args):
    """Version, record counts, build time and download links."""
    representation.negotiate((representation.JSON,))
    data = representation.get_store()
    meta = data.meta()
    etag = representation.fresh(meta["data_version"], representation.JSON)
    root = listing.public_root()
    body = {
        "dataset_version": meta["dataset_version"],
        "data_version": meta["data_version"],
        "built_at": meta["built_at"],
        "pycountry": meta["pycountry"],
        "schema_version": meta["schema_version"],
        "counts": data.counts(),
        "pairs": _pairs(data, meta["data_version"], root),
        "links": {
            "ndjson": f"{root}/v1/dataset.ndjson",
            "sqlite": f"{root}/v1/dataset.sqlite",
            "openapi": f"{root}/openapi.json",
        },
    }
    body = orjson.dumps(DatasetSchema().dump(body))
    return representation.finish(Response(body, mimetype=representation.JSON), etag)


def _pairs(data, version: str, root: str) -> list[dict]:
    key = (current_app.config["DB"], version)
    pairs = PAIRS.get(key)
    if pairs is None:
        pairs = data.pairs()
        PAIRS.keep(key, pairs)
    return [
        {"countries": [a, b], "records": n, "brief": f"{root}/v1/briefs/{a}/{b}"}
        for a, b, n in pairs
    ]


@blp.route("/dataset.ndjson", endpoint="ndjson")
@blp.doc(
    operationId="downloadDatasetNdjson",
    summary="Every record, one a line",
    responses={
        200: {"content": {NDJSON: {"schema": {"type": "string"}}, OCTET: BYTES}},
        **alternatives(304, 406),
    },
)
@strict_query(blp)
@blp.response(
    200,
    content_type=NDJSON,
    headers=CACHE_HEADERS,
    description='Lines of {"type": ..., "record": {...}}, resource by resource',
)
def ndjson(_args):
    """Streams every record of every resource as newline-delimited JSON."""
    media_type = representation.negotiate((NDJSON, OCTET))
    data = representation.get_store()
    etag = representation.fresh(data.data_version(), media_type)

    def lines():
        for resource in catalog.ALL:
            prefix = b'{"type":"' + resource.singular.encode() + b'","record":'
            for body in data.all(resource):
                yield prefix + body + b"}\n"

    return representation.finish(Response(lines(), mimetype=media_type), etag)


@blp.route("/dataset.sqlite", endpoint="sqlite")
@blp.doc(
    operationId="downloadDatasetSqlite",
    summary="The SQLite database file",
    responses={
        200: {
            "content": {
                SQLITE: {"schema": {"type": "string", "contentMediaType": SQLITE}},
                OCTET: BYTES,
            }
        },
        **alternatives(304, 406, 503),
    },
)
@strict_query(blp)
@blp.response(
    200,
    content_type=SQLITE,
    headers=CACHE_HEADERS,
    description="The database this service reads, as built",
)
def sqlite(_args):
    """The database file itself: query it locally with any SQLite client."""
    media_type = representation.negotiate((SQLITE, OCTET))
    version = representation.get_store().data_version()
    etag = representation.fresh(version, media_type)
    pool = current_app.extensions["briefs.pool"]
    try:
        copy = snapshot(pool.path.resolve(), version)
    except Busy as exc:
        raise Problem(503, exc.detail, headers={"Retry-After": str(exc.retry_after)}) from exc
    response = send_file(
        copy,
        mimetype=media_type,
        as_attachment=True,
        download_name="briefs.sqlite",
        etag=False,
        conditional=False,
    )
    return representation.finish(response, etag)


# --- the change feed ------------------------------------------------------------------

changes_blp = Blueprint("changes", __name__, url_prefix="/v1", description="Every write, in order")
ChangePage = page_of(ChangeSchema, "ChangePage")


@changes_blp.route("/changes", endpoint="changes")
@changes_blp.doc(
    operationId="listChanges",
    summary="Writes after a point in the feed, oldest first",
    responses=alternatives(304, 406),
)
@strict_query(changes_blp, ChangesQuery)
@changes_blp.response(200, ChangePage, headers={**CACHE_HEADERS, **LINK_HEADER})
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
