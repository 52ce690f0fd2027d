"""Price a request without a server: the WSGI app called in-process, one thread.

    .venv/bin/python -m benchmarks.inprocess [--db benchmarks/data/corpus-1000000.db]
        [--fresh-queries] [PATH ...]

Each path is called 300 times to warm up, then 7 rounds of 1,000 calls (``--warm-up``,
``--rounds`` and ``--calls`` change that: a brief takes tens of milliseconds); the
median microseconds per call is printed. Without paths: a single agreement
(the middle one by id) and a 50-item page. The access log goes to stderr as
when serving; send it to /dev/null (``2>/dev/null``). What depends on the
query string alone (its parsed arguments, a cursor's scope, the next link) is
worked out once per query string; ``--fresh-queries`` prices the first
request of each query string instead.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from api import create_app
from api.web import listing
from api.web.resources import base

HERE = Path(__file__).resolve().parent
WARM_UP = 300  # calls before any is counted


def default_paths(db: Path) -> list[str]:
    """A single agreement (the middle one by id) and a 50-item page."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    (n,) = conn.execute("SELECT count(*) FROM agreements").fetchone()
    (middle,) = conn.execute(
        "SELECT id FROM agreements ORDER BY id LIMIT 1 OFFSET ?", (n // 2,)
    ).fetchone()
    conn.close()
    return [f"/v1/agreements/{middle}", "/v1/agreements?limit=50"]


def forget_queries() -> None:
    """Make what the app keeps by query string be forgotten at once."""
    base.PARSED = base.ParsedQueries(size=0)
    listing.SCOPES.size = listing.NEXT_PREFIXES.size = 0


def caller(app) -> Callable[[str], None]:
    """A function making one GET of a path through the WSGI app; it exits unless 200."""

    def call(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "RAW_URI": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        statuses: list[str] = []
        body = b"".join(app(environ, lambda status, headers, info=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]} {body[:200]!r}")

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "data" / "corpus-1000000.db")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--warm-up", type=int, default=WARM_UP, help="calls before any counts")
    parser.add_argument("--fresh-queries", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.fresh_queries:
        forget_queries()
    call = caller(create_app({"DB": str(args.db)}))
    for path in args.paths or default_paths(args.db):
        for _ in range(args.warm_up):
            call(path)
        rounds = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for _ in range(args.calls):
                call(path)
            rounds.append((time.perf_counter() - started) / args.calls * 1e6)
        print(f"{statistics.median(rounds):8.1f} µs  {path}")


if __name__ == "__main__":
    main()
