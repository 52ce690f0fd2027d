"""Datasette over the same SQLite file, for `uvicorn --workers 2` (run in benchmarks/.venv).

Counts, facets and facet suggestions are off, the SQL time limit is raised so
slow queries answer rather than fail, and the API's queries are canned
queries (``QUERIES``), called as ``/<db>/<query>.json?...&_shape=array``.
"""

from __future__ import annotations

import os
from pathlib import Path

ORDER = "coalesce(date_start, '~'), id"
PAGE = "SELECT CAST(json AS TEXT) AS json, coalesce(date_start, '~') AS k, id FROM agreements"
QUERIES = {
    "record": "SELECT CAST(json AS TEXT) AS json, etag FROM agreements WHERE id = :id",
    "page_first": f"{PAGE} ORDER BY {ORDER} LIMIT 51",
    "page_after": f"{PAGE} WHERE ({ORDER}) > (:k, :id) ORDER BY {ORDER} LIMIT 51",
    "filtered": (
        f"{PAGE} WHERE id IN (SELECT record_id FROM record_countries "
        "WHERE resource = 'agreements' AND country = :country) AND kind = :kind "
        f"ORDER BY {ORDER} LIMIT 51"
    ),
    "search": (
        "SELECT s.type, s.id, s.title, "
        "snippet(search_fts, -1, '<mark>', '</mark>', '…', 16) AS snippet, "
        "bm25(search_fts, 10.0, 1.0) AS score, s.rowid "
        "FROM search_fts JOIN search s ON s.rowid = search_fts.rowid "
        "WHERE search_fts MATCH :q ORDER BY score, s.rowid LIMIT 51"
    ),
}
SETTINGS = {
    "suggest_facets": False,
    "allow_facet": False,
    "default_facet_size": 0,
    "sql_time_limit_ms": 60_000,
    "num_sql_threads": 4,
}


def metadata(name: str) -> dict:
    return {"databases": {name: {"queries": {k: {"sql": v} for k, v in QUERIES.items()}}}}


def _app():
    from datasette.app import Datasette

    db = Path(os.environ["BENCH_DB"])
    return Datasette([str(db)], metadata=metadata(db.stem), settings=SETTINGS, cors=False).app()


app = _app() if "BENCH_DB" in os.environ else None
