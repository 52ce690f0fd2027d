"""The corpora and the cases: what each benchmark case asks of the app and of Datasette."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.load import fetch, log
from deploy.servers import ROOT

DEEP = 10_000  # items before the deep page

def synth(records: int, db: Path, reuse: bool) -> dict:
    if reuse and db.exists():
        log(f"reusing {db}")
        return {"reused": True}
    log(f"python -m benchmarks.synth --records {records} --db {db}")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.synth", "--records", str(records), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    log(f"  {seconds:.1f} s: {result.stdout.strip()}")
    return {"seconds": round(seconds, 2), "output": result.stdout.strip(), "records": records}


def search_count(db: Path, term: str) -> int:
    """Records whose text has ``term``, from the app's full-text index."""
    from api.store import fulltext

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    (name,) = conn.execute("SELECT value FROM meta WHERE key = 'fulltext'").fetchone()
    conn.close()
    return fulltext.count(db.parent / name, [term])


def datasette_search_index(db: Path) -> None:
    """The FTS5 table Datasette's search query needs (the app's index is Tantivy's).

    Made once per corpus with sqlite-utils, as a Datasette user would, and
    left in the file: the app never reads it.
    """
    import sqlite_utils

    database = sqlite_utils.Database(db)
    if "search_fts" not in database.table_names():
        log(f"enabling FTS5 on {db.name}'s search table, for Datasette")
        database["search"].enable_fts(["title", "body"], tokenize="unicode61 remove_diacritics 2")
    database.close()


def pick_terms(db: Path) -> dict:
    """A common term (matching ~1% of the searchable records) and a rare one (~10-100)."""
    from benchmarks import synth as synthetic

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT count(*) FROM search").fetchone()[0]
    conn.close()
    words = synthetic.vocabulary(0)[0]

    def rank_for(target: float) -> int:
        lo, hi = 1, len(words)
        while lo < hi:  # counts fall as the rank grows
            mid = (lo + hi) // 2
            if search_count(db, words[mid - 1]) > target:
                lo = mid + 1
            else:
                hi = mid
        return lo

    common = rank_for(max(rows * 0.01, 5))
    rare = rank_for(max(min(30, rows * 0.001), 1))
    while rare < len(words) and search_count(db, words[rare - 1]) == 0:
        rare -= 1
    found = {
        "search_rows": rows,
        "common": {"term": words[common - 1], "rank": common},
        "rare": {"term": words[rare - 1], "rank": rare},
    }
    for kind in ("common", "rare"):
        found[kind]["matches"] = search_count(db, found[kind]["term"])
    return found


def deep_cursor(base: str, items: int) -> tuple[str, list]:
    """The cursor after the first ``items`` agreements (followed 500 at a time), and its key."""
    seen, cursor, last = 0, None, None
    while seen < items:
        limit = min(500, items - seen)
        url = f"{base}/v1/agreements?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = json.loads(fetch(url)[2])
        seen += len(page["items"])
        last = page["items"][-1]
        cursor = page["next_cursor"]
        if not cursor:
            raise RuntimeError(f"only {seen} agreements: no page after item {items}")
    return cursor, [last["date_start"] or "~", last["id"]]


def cases(app: str, db: Path, terms: dict, datasette_db: str) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = conn.execute("SELECT count(*) FROM agreements").fetchone()[0]
    record = conn.execute(
        "SELECT id FROM agreements ORDER BY id LIMIT 1 OFFSET ?", (n // 2,)
    ).fetchone()[0]
    conn.close()
    cursor, key = deep_cursor(app, min(DEEP, max(n - 60, 1)))
    q = urllib.parse.quote
    ds = f"/{datasette_db}"
    common, rare = terms["common"]["term"], terms["rare"]["term"]
    return {
        "record": {
            "path": f"/v1/agreements/{record}",
            "datasette": f"{ds}/record.json?id={q(record)}&_shape=array",
        },
        "page_first": {
            "path": "/v1/agreements?limit=50",
            "datasette": f"{ds}/page_first.json?_shape=array",
        },
        "page_deep": {
            "path": f"/v1/agreements?limit=50&cursor={cursor}",
            "datasette": f"{ds}/page_after.json?k={q(key[0])}&id={q(key[1])}&_shape=array",
        },
        "filtered": {
            "path": "/v1/agreements?country=RU&kind=treaty&limit=50",
            "datasette": f"{ds}/filtered.json?country=RU&kind=treaty&_shape=array",
        },
        "search_common": {
            "path": f"/v1/search?q={common}&limit=50",
            "datasette": f"{ds}/search.json?q={q(chr(34) + common + chr(34))}&_shape=array",
        },
        "search_rare": {
            "path": f"/v1/search?q={rare}&limit=50",
            "datasette": f"{ds}/search.json?q={q(chr(34) + rare + chr(34))}&_shape=array",
        },
        "brief": {"path": "/v1/briefs/PK/RU"},
        "brief_page": {"path": "/briefs/PK/RU"},  # the same brief as a reading page (HTML)
    }
