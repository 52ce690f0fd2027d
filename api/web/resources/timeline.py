"""The timeline: every dated record for the countries asked, in one chronology."""

from __future__ import annotations

import orjson
from flask_smorest import Blueprint

from api.briefs import compose
from api.store.reads import Page, decode
from api.web import listing, representation
from api.web.resources.base import (
    CACHE_HEADERS,
    LINK_HEADER,
    alternatives,
    csv_operation,
    strict_query,
)
from schemas.pages import page_of
from schemas.queries import TimelineQuery
from schemas.timeline import TimelineEntrySchema

blp = Blueprint("timeline", __name__, url_prefix="/v1", description="One chronology")
TimelinePage = page_of(TimelineEntrySchema, "TimelinePage")
RESOURCES = {
    "agreement": "agreements",
    "meeting": "meetings",
    "event": "events",
    "indicator": "indicators",
    "commentary": "commentary",
}


@blp.route("/timeline", endpoint="timeline")
@blp.doc(
    operationId="listTimeline",
    summary="Records of every type, merged chronologically",
    responses=alternatives(304, 406),
)
@strict_query(blp, TimelineQuery)
@blp.response(200, TimelinePage, headers={**CACHE_HEADERS, **LINK_HEADER})
def timeline(args):
    """Agreements, meetings, events, figures and commentary on one axis.

    Every `country` must be involved; with `predecessors` (the default) a
    country also matches through the states it continues, marked `via`.
    Undated records come last.
    """
    return _timeline(args)


def _timeline(args):
    data = representation.get_store()
    where = listing.filters(args)
    types = [RESOURCES[t] for t in args.get("type", [])]
    sort = args.get("sort", "date")

    def fetch(after, limit):
        page = data.timeline(where, types, sort, limit, after)
        items = []
        for body in page.items:
            entry = decode(body)
            entry["via"] = compose.via(entry["countries"], where.countries)
            items.append(orjson.dumps(entry))
        return Page(items, page.next_key)

    return listing.paged("timeline", TimelineEntrySchema(), args, fetch)


csv_operation("timeline", "listTimelineCsv", TimelineQuery, _timeline)
