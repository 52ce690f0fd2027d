"""Single records answered before Flask: the response their view gives, without Flask.

``GET /v1/{resource}/{id}`` of a stored id is the read clients make most. Through
Flask it pays the request context, URL matching, the hooks and flask-smorest's
wrappers: about three times what reading the record costs. This WSGI layer in
front of Flask answers such a request itself when its answer is the plain 200
the view would give (no query string, no ``If-None-Match``, an ``Accept`` that
takes anything, a Host and headers the hooks let through, the id of a stored
record), with the same status, headers and body: the ETag, ``Cache-Control``
and ``Vary`` of ``representation.record``, the CORS headers of ``cors``, the
request id and the access-log line of ``logs``. Anything else (an alias, an
unknown or deleted id, a revalidation, another media type, HEAD) goes on to
Flask unchanged. ``tests/api/test_direct.py`` compares both answers request by
request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from flask import Flask
from werkzeug.http import quote_etag

from api.domain import catalog
from api.store.connections import Unavailable, sqlite3
from api.store.reads import Store
from api.web import cors, limits, logs
from api.web.problems import Problem
from api.web.representation import CACHE_CONTROL, JSON, tag

# Request headers that change the answer: a revalidation (304 or 200), CORS for a
# private network (flask-cors answers it in full).
DEFERRED = ("HTTP_IF_NONE_MATCH", cors.PRIVATE_NETWORK)
KNOWN_HOSTS = 64  # Host headers whose test is kept (a server answers to a few names)
ITEM_RULE = re.compile(r"^/v1/([a-z]+)/<string:[a-z]+>$")


def item_routes(app: Flask) -> dict[str, tuple[catalog.Resource, frozenset[str]]]:
    """The resources whose records ``/v1/{name}/<key>`` serves, by name, each with the
    ids another route of the same shape takes (a literal path wins over a variable)."""
    found: dict[str, catalog.Resource] = {}
    literal: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        match = ITEM_RULE.match(rule.rule)
        if match and rule.endpoint == f"{match.group(1)}.item":
            found[match.group(1)] = catalog.BY_NAME[match.group(1)]
        parts = rule.rule.split("/")
        if len(parts) == 4 and parts[1] == "v1" and "<" not in parts[3]:
            literal.setdefault(parts[2], set()).add(parts[3])
    return {name: (r, frozenset(literal.get(name, ()))) for name, r in found.items()}


class Direct:
    """The WSGI app: single records here, every other request to Flask (``wsgi_app``)."""

    def __init__(self, app: Flask, wsgi_app, host_allowed: Callable[[str], bool]) -> None:
        self.wsgi_app = wsgi_app
        self.pool = app.extensions["briefs.pool"]
        self.config = app.config
        self.access_log = app.config["ACCESS_LOG"]
        self.host_allowed = host_allowed
        self.hosts: dict[str, bool] = {}  # Host headers seen, and whether they pass
        self.cors = app.extensions[cors.SIMPLE]
        self.routes = item_routes(app)

    def __call__(self, environ: dict, start_response):
        if environ["REQUEST_METHOD"] == "GET" and not environ.get("QUERY_STRING"):
            started = time.perf_counter()
            found = self.record(environ)
            if found is not None:
                path, stored = found
                request_id = logs.request_id(environ)
                body = stored.json
                start_response(
                    "200 OK",
                    [
                        ("Content-Type", JSON),
                        ("Content-Length", str(len(body))),
                        ("ETag", quote_etag(tag(stored.etag, JSON))),
                        ("Cache-Control", CACHE_CONTROL),
                        ("Vary", "Accept"),
                        *self.cors,
                        (logs.REQUEST_ID, request_id),
                    ],
                )
                if self.access_log:
                    logs.access_line(environ, path, request_id, 200, len(body), started)
                return [body]
        return self.wsgi_app(environ, start_response)

    def record(self, environ: dict):
        """(path, stored record) when the request is one this layer answers, else None."""
        path = environ.get("PATH_INFO", "")
        parts = path.split("/")
        if len(parts) != 4 or parts[1] != "v1" or not path.isascii():
            return None
        route = self.routes.get(parts[2])
        record_id = parts[3]
        if route is None or not record_id or record_id in route[1]:
            return None
        accept = environ.get("HTTP_ACCEPT")
        if (accept and accept != "*/*") or any(key in environ for key in DEFERRED):
            return None
        host = environ.get("HTTP_HOST")
        if host is not None:
            allowed = self.hosts.get(host)
            if allowed is None:
                allowed = self.host_allowed(host)
                if len(self.hosts) < KNOWN_HOSTS:
                    self.hosts[host] = allowed
            if not allowed:
                return None
        try:
            limits.check_limits(environ, self.config, lambda: f"{path}?")
            stored = Store(self.pool.connection()).stored(route[0], record_id)
        except (Problem, Unavailable, sqlite3.Error):
            return None
        if stored is None or stored.id != record_id:
            return None
        return path, stored


def init_app(app: Flask, host_allowed: Callable[[str], bool]) -> None:
    """Put the layer in front of Flask's WSGI app (after every hook is registered)."""
    app.wsgi_app = Direct(app, app.wsgi_app, host_allowed)
