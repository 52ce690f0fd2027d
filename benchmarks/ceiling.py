"""The ceiling: a bare WSGI callable that answers each benchmarked URL with a stored body.

Served by gunicorn with the project's gunicorn.conf.py, exactly as the API is,
so the only difference between the two is the application. The harness
captures the API's body for each case and writes ``{path?query: [content
type, body (latin-1 text)]}`` to the JSON file named by BENCH_CEILING_BODIES;
this app returns the same bytes (so the same size) for that URL.
"""

from __future__ import annotations

import json
import os

with open(os.environ["BENCH_CEILING_BODIES"], encoding="utf-8") as f:
    BODIES = {
        url: (content_type, body.encode("latin-1"))
        for url, (content_type, body) in json.load(f).items()
    }


def app(environ, start_response):
    query = environ.get("QUERY_STRING", "")
    url = environ.get("PATH_INFO", "") + ("?" + query if query else "")
    found = BODIES.get(url)
    if found is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
        return [b""]
    content_type, body = found
    start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
