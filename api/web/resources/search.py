"""Full-text search across every resource."""

from __future__ import annotations

import orjson
from flask_smorest import Blueprint

from api.domain import catalog
from api.store import fulltext
from api.store.reads import Page
from api.web import listing, representation
from api.web.problems import Problem
from api.web.resources.base import (
    CACHE_HEADERS,
    LINK_HEADER,
    alternatives,
    csv_operation,
    strict_query,
)
from schemas.pages import page_of
from schemas.queries import SearchQuery
from schemas.search import SearchHitSchema

blp = Blueprint("search", __name__, url_prefix="/v1", description="Full-text search")
SearchPage = page_of(SearchHitSchema, "SearchPage")


def search_words(text: str) -> list[str]:
    """The words of ``text`` as the index spells them; a 400 when there are none.

    Only letters and digits count: quotes, operators and field names in user
    input are searched as plain text (or dropped), never parsed.
    """
    words = fulltext.words(text)
    if not words:
        raise Problem(
            400,
            "The search has no words to look for.",
            errors={"q": ["Give at least one letter or digit."]},
        )
    return words


@blp.route("/search", endpoint="search")
@blp.doc(
    operationId="search",
    summary="Search every record's titles, names, texts and quotes",
    responses=alternatives(304, 406),
)
@strict_query(blp, SearchQuery)
@blp.response(200, SearchPage, headers={**CACHE_HEADERS, **LINK_HEADER})
def search(args):
    """Ranked by BM25: a country, person or organization whose name or alias
    matches comes before the records that mention it, and a title match weighs
    ten body matches; ties keep index order.

    Every word must match, ignoring case and accents; aliases and the
    spellings sources use are searched too. Every match is ranked, however
    common the word: the index keeps only the best hits as it scores. The
    same data and query give the same order; `score` is the BM25 relevance:
    non-negative, higher is better.
    """
    return _search(args)


def _search(args):
    words = search_words(args["q"])
    data = representation.get_store()
    types = args.get("type", [])
    root = listing.public_root()

    def fetch(after, limit):
        hits, next_key = data.search(words, types, limit, after)
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

    return listing.paged("search", SearchHitSchema(), args, fetch)


csv_operation("search", "searchCsv", SearchQuery, _search)
