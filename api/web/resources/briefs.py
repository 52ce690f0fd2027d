"""Bilateral briefs: what the records say about two countries, with citations."""

from __future__ import annotations

import orjson
from flask_smorest import Blueprint

from api.briefs import markdown
from api.briefs.compose import Brief
from api.domain import catalog
from api.store import lookup
from api.web import listing, problems, representation
from api.web.problems import Problem
from api.web.resources.base import CACHE_HEADERS, FORMATS, alternatives, strict_query
from api.web.response import Response
from schemas.briefs import BriefSchema
from schemas.queries import MAX_LIMIT, BriefQuery, TimelineQuery, without

blp = Blueprint("briefs", __name__, url_prefix="/v1", description="Bilateral briefs")
MARKDOWN = representation.MARKDOWN
TIMELINE_QUERY = TimelineQuery()
PAIR = [
    {
        "in": "path",
        "name": n,
        "required": True,
        "schema": {"type": "string", "minLength": 1},
        "description": "Country: alpha-2, alpha-3 or alpha-4 code, name or alias",
    }
    for n in ("a", "b")
]


@blp.route("/briefs/<string:a>/<string:b>", endpoint="brief", parameters=PAIR)
@blp.doc(
    operationId="getBrief",
    summary="The bilateral brief of two countries",
    responses=alternatives(304, 404, 406),
)
@strict_query(blp, BriefQuery)
@blp.response(
    200,
    BriefSchema,
    headers=CACHE_HEADERS,
    description="The brief; the Markdown is `GET /v1/briefs/{a}/{b}.md`",
)
def brief(args, a, b):
    """Figures, agreements by status, meetings, events, positions, recommendations
    and a chronology, each capped at `limit` with its count and a link to the
    rest (the chronology shows its first 100 records; `next` is the timeline's
    page after them); `sources` numbers every citation
    the items point to, and `coverage` says what the brief rests on. The same
    for either order of the countries. `Accept: text/markdown` renders it.
    """
    override = {"json": representation.JSON, "markdown": MARKDOWN}.get(args.get("format"))
    return _brief(args, a, b, override or representation.negotiate((representation.JSON, MARKDOWN)))


@FORMATS.route("/briefs/<string:a>/<string:b>.md", endpoint="brief_md", parameters=PAIR)
@FORMATS.doc(
    operationId="getBriefMarkdown",
    summary="The bilateral brief of two countries, in Markdown",
    responses={
        200: {"content": {MARKDOWN: {"schema": {"type": "string"}}}},
        **alternatives(304, 404, 406),
    },
)
@strict_query(FORMATS, without(BriefQuery, "format"))
@FORMATS.response(
    200,
    content_type=MARKDOWN,
    headers=CACHE_HEADERS,
    description="The brief as a Markdown document, every statement footnoted with its quote",
)
def brief_markdown(args, a, b):
    """The same brief, rendered: a coverage paragraph, each section, the curators'
    caveats under the statements they qualify, and footnotes quoting every source."""
    return _brief(args, a, b, MARKDOWN)


def _country(data, name: str, parameter: str) -> str:
    try:
        return data.resolve(catalog.COUNTRIES, name)
    except lookup.Ambiguous as exc:
        raise problems.ambiguous(exc, parameter) from exc


def _brief(args: dict, a: str, b: str, media_type: str) -> Response:
    data = representation.get_store()
    pair = (_country(data, a, "a"), _country(data, b, "b"))
    if pair[0] == pair[1]:
        raise Problem(
            400,
            f"A brief needs two different countries; both name {pair[0]}.",
            errors={"b": [f"The same country as a: {pair[0]}."]},
        )
    etag = representation.fresh(data.data_version(), media_type)
    composer = Brief(
        data,
        pair,
        as_of=args.get("as_of"),
        predecessors=args["predecessors"],
        limit=args["limit"],
        base_url=listing.public_root(),
    )
    composed = composer.compose()
    # The rest of the chronology: the timeline's pages after the brief's first one.
    composed["chronology"]["next"] = listing.continued(
        "timeline", TIMELINE_QUERY, composer.query(), composer.chronology_next, MAX_LIMIT
    )
    if media_type == MARKDOWN:
        body, mimetype = markdown.render(composed, pair).encode(), MARKDOWN
    else:
        body, mimetype = orjson.dumps(composed), representation.JSON
    return representation.finish(Response(body, mimetype=mimetype), etag)
