"""Full-text search across every resource."""

from __future__ import annotations

import re

import orjson
from flask import request
from flask_smorest import Blueprint

from api import catalog, http
from api.errors import Problem
from api.resources.base import CACHE_HEADERS, CSV_CONTENT, LINK_HEADER, strict_query
from api.store import Page
from schemas.pages import page_of
from schemas.queries import SearchQuery
from schemas.search import SearchHitSchema

blp = Blueprint("search", __name__, url_prefix="/v1", description="Full-text search")
SearchPage = page_of(SearchHitSchema, "SearchPage")
WORD = re.compile(r"\w+")
MAX_WORDS = 16


def fts_query(text: str) -> str:
    """The words of ``text`` as an FTS5 query that every word must match.

    Each word is quoted, so FTS syntax in user input (quotes, NEAR, *, -,
    parentheses, column filters) is searched as plain text and never parsed.
    """
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        raise Problem(
            400,
            "The search has no words to look for.",
            errors={"q": ["Give at least one letter or digit."]},
        )
    return " ".join(f'"{w}"' for w in words)


@blp.route("/search", endpoint="search")
@blp.doc(
    operationId="search",
    summary="Search every record's titles, names, texts and quotes",
    responses={200: {"content": CSV_CONTENT}},
)
@strict_query(blp, SearchQuery)
@blp.response(200, SearchPage, headers={**CACHE_HEADERS, **LINK_HEADER})
@blp.alt_response(304, response="NOT_MODIFIED")
@blp.alt_response(406, response="NOT_ACCEPTABLE")
def search(args):
    """Ranked by bm25 (a title match weighs ten body matches); ties by index order.

    Every word must match, ignoring case and accents; aliases and the
    spellings sources use are searched too. The same query gives the same
    order. bm25 ranks at most the last 500 matches in index order (the named
    entities and the newest records): a word found in many records costs
    what a rare one does; add words or `type` to reach older ones.
    """
    query = fts_query(args["q"])
    data = http.get_store()
    types = args.get("type", [])
    root = request.host_url.rstrip("/")

    def fetch(after, limit):
        hits, next_key = data.search(query, types, limit, after)
        items = [
            orjson.dumps(
                {
                    "type": kind,
                    "id": rid,
                    "title": title,
                    "snippet": snippet,
                    "score": score,
                    "href": f"{root}/v1/{catalog.BY_SINGULAR[kind].name}/{rid}",
                }
            )
            for kind, rid, title, snippet, score in hits
        ]
        return Page(items, next_key)

    return http.paged("search", SearchHitSchema(), args, fetch)
