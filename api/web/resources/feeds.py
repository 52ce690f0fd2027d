"""Feeds the worker polls: `/v1/feeds` (scope `feeds`)."""

from __future__ import annotations

from pathlib import Path

import orjson
from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from api.curation import fetch
from api.curation.feeds import FeedError, Feeds, NoFeed, parse_every
from api.store.connections import sqlite3
from api.web import editing, representation
from api.web.problems import Problem, flatten_messages
from api.web.resources.base import AUTH, ID_PARAMETER, TOKEN_READ_ERRORS, alternatives, strict_query
from api.web.response import Response
from schemas.intake import FeedCreateSchema, FeedListSchema, FeedSchema

SCOPE = "feeds"
CREATE = FeedCreateSchema()
FEED = FeedSchema()
FEEDS = FeedListSchema()
ID = ID_PARAMETER
LOCATION = {"Location": {"description": "The feed", "schema": {"type": "string"}}}
READ_ERRORS = TOKEN_READ_ERRORS

blp = Blueprint(
    "feeds", __name__, url_prefix="/v1", description="RSS and Atom feeds the worker polls"
)


def _feeds() -> Feeds:
    return Feeds(Path(current_app.config["DB"]))


def _json(body: dict, schema, status: int = 200) -> Response:
    response = Response(
        orjson.dumps(schema.dump(body)), status=status, mimetype=representation.JSON
    )
    response.headers["Cache-Control"] = "private, no-cache"  # a curator's, changing by itself
    return response


def _unavailable(exc: Exception) -> Problem:
    return Problem(503, f"The feeds cannot be read now: {exc}.", headers={"Retry-After": "5"})


@blp.route("/feeds", endpoint="feeds", methods=["GET"])
@blp.doc(
    operationId="listFeeds",
    summary="List the feeds polled",
    security=AUTH,
    responses=alternatives(503, *READ_ERRORS),
)
@strict_query(blp)
@blp.response(200, FeedListSchema)
def feeds(_args):
    """Every feed: when it was and will be polled, its last error, what its entries became."""
    editing.authenticate(SCOPE)
    representation.negotiate((representation.JSON,))
    try:
        return _json({"items": _feeds().all()}, FEEDS)
    except (sqlite3.Error, OSError) as exc:
        raise _unavailable(exc) from exc


@blp.route("/feeds", endpoint="add", methods=["POST"])
@blp.doc(
    operationId="createFeed",
    summary="Poll a feed",
    description="The worker polls it now and then every `every`: each new entry's page is "
    "stored as a document (unless its URL or text is stored already, or it reprints a "
    "stored story) and its extraction queued. 409: the feed is polled already (`existing` "
    "names it). 422: not an http(s) URL, an interval out of range, or an address of a "
    "private network.",
    security=AUTH,
    requestBody={"required": True, "content": {representation.JSON: {"schema": FeedCreateSchema}}},
    responses={
        201: {
            "description": "Added; Location names it",
            "headers": LOCATION,
            "content": {representation.JSON: {"schema": FeedSchema}},
        },
        **alternatives(409, 413, 415, 422, 429, 503, *READ_ERRORS),
    },
)
@editing.limiter.limit(editing.write_limit)
def add():
    """Add a feed."""
    representation.negotiate((representation.JSON,))
    actor = editing.authenticate(SCOPE)
    body = editing.json_body(representation.JSON)
    try:
        loaded = CREATE.load(body)
        every = parse_every(loaded["every"])
    except ValidationError as exc:
        raise Problem(422, "The feed is not valid.", errors=flatten_messages(exc.messages)) from exc
    except FeedError as exc:
        raise Problem(422, exc.detail, errors={"every": [exc.detail]}) from exc
    try:
        # no name is looked up here; the worker checks every address it connects to
        fetch.check_address(loaded["url"], bool(current_app.config["FETCH_PRIVATE"]), resolve=False)
    except fetch.FetchError as exc:
        raise Problem(422, exc.detail, errors={"url": [exc.detail]}) from exc
    try:
        feed = _feeds().add(loaded["url"], every, actor)
    except FeedError as exc:
        raise Problem(exc.status, exc.detail, existing=exc.existing) from exc
    except (sqlite3.Error, OSError) as exc:
        raise _unavailable(exc) from exc
    response = _json(feed, FEED, 201)
    response.headers["Location"] = f"{request.script_root}/v1/feeds/{feed['id']}"
    return response


@blp.route("/feeds/<string:id>", endpoint="feed", methods=["GET"])
@blp.doc(
    operationId="getFeed",
    summary="Get a feed",
    security=AUTH,
    parameters=[ID],
    responses=alternatives(404, 503, *READ_ERRORS),
)
@strict_query(blp)
@blp.response(200, FeedSchema)
def feed(_args, id):
    """A feed, with its latest entries and what each became."""
    editing.authenticate(SCOPE)
    representation.negotiate((representation.JSON,))
    try:
        return _json(_feeds().get(id), FEED)
    except NoFeed as exc:
        raise Problem(404, f"No feed {id!r}.") from exc
    except (sqlite3.Error, OSError) as exc:
        raise _unavailable(exc) from exc


@blp.route("/feeds/<string:id>", endpoint="remove", methods=["DELETE"])
@blp.doc(
    operationId="deleteFeed",
    summary="Stop polling a feed",
    description="The documents it brought stay.",
    security=AUTH,
    parameters=[ID],
    responses=alternatives(404, 429, 503, *READ_ERRORS),
)
@blp.response(204, description="Removed")
@editing.limiter.limit(editing.write_limit)
def remove(id):
    """Stop polling a feed."""
    editing.authenticate(SCOPE)
    try:
        _feeds().remove(id)
    except NoFeed as exc:
        raise Problem(404, f"No feed {id!r}.") from exc
    except (sqlite3.Error, OSError) as exc:
        raise _unavailable(exc) from exc
    return editing.no_content()
