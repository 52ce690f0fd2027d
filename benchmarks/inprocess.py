"""Price a request without a server: the WSGI app called in-process, one thread.

    .venv/bin/python -m benchmarks.inprocess [--db benchmarks/data/corpus-1000000.db]
        [--parse-every-query] [PATH ...]

Each path is called 300 times to warm up, then 7 rounds of 1,000 calls; the
median microseconds per call is printed. Without paths: a single agreement
(the middle one by id) and a 50-item page. The access log goes to stderr as
when serving; send it to /dev/null (``2>/dev/null``). A repeated query string
is parsed once (``api.resources.base.PARSED``); ``--parse-every-query`` prices
the first request of each query string instead.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from api import create_app
from api.resources import base

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "data" / "corpus-1000000.db")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--parse-every-query", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.parse_every_query:
        base.PARSED = base.ParsedQueries(size=0)
    app = create_app({"DB": str(args.db)})
    paths = args.paths
    if not paths:
        conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        (n,) = conn.execute("SELECT count(*) FROM agreements").fetchone()
        (middle,) = conn.execute(
            "SELECT id FROM agreements ORDER BY id LIMIT 1 OFFSET ?", (n // 2,)
        ).fetchone()
        conn.close()
        paths = [f"/v1/agreements/{middle}", "/v1/agreements?limit=50"]

    def call(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "bench",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        statuses: list[str] = []
        body = b"".join(app(environ, lambda status, headers, info=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]} {body[:200]!r}")

    for path in paths:
        for _ in range(300):
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
