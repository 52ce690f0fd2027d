"""The foreign-policy briefs API: cited data about international relations."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Request, request, send_from_directory
from flask.sessions import SessionInterface
from werkzeug.datastructures import ImmutableMultiDict

from api import config
from api.store import fulltext
from api.store.connections import ReadPool, Unavailable, sqlite3
from api.store.errors import WriteError
from api.store.reads import Store
from api.store.tokens import Tokens
from api.store.writer import Writer
from api.web import cors, direct, editing, limits, logs, problems, readonly, representation
from api.web.openapi import BriefsApi
from api.web.response import Response

API_VERSION = "1.0.0"
DOCS_ASSETS = "/docs/assets/"
log = logging.getLogger("briefs")


def _swagger_ui_dist() -> Path:
    import flask_swagger_ui

    return Path(flask_swagger_ui.__file__).parent / "dist"


class Parameters(ImmutableMultiDict):
    """Query parameters whose ``get`` answers an absent key without an exception.

    werkzeug's ``get`` looks a key up by raising and catching BadRequestKeyError,
    an HTTP exception built for each absent key; webargs asks for every parameter
    a schema declares, and most are absent from any one request.
    """

    def get(self, key, default=None, type=None):
        if key not in self:
            return default
        return super().get(key, default, type)


class BriefsRequest(Request):
    parameter_storage_class = Parameters


class App(Flask):
    """Flask, inspecting each view and hook for a coroutine once rather than per request."""

    request_class = BriefsRequest
    response_class = Response

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict = {}

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except KeyError:
            found = self._sync[func] = super().ensure_sync(func)
            return found


class NoSessions(SessionInterface):
    """The API keeps no session: none is opened or saved."""

    def open_session(self, app, request):
        return self.make_null_session(app)

    def save_session(self, app, session, response) -> None:
        return None


def _catch_up(pool: ReadPool, writer: Writer) -> None:
    """Build a missing full-text index, or apply the changes a crash left out of it.

    This needs write access; a read-only deployment serves the index it has.
    """
    try:
        conn = pool.connection()
        (last,) = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
        try:
            behind = Store(conn).fulltext_applied() < last
        except fulltext.Missing:
            behind = True
        if behind:
            writer.sync_fulltext()
    except (Unavailable, sqlite3.Error, OSError, WriteError) as exc:
        log.warning("the full-text index was not brought up to date: %s", exc)


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})


def trusted_hosts(settings: dict) -> frozenset[str] | None:
    """The Host names requests may carry: TRUSTED_HOSTS when set; else, when PUBLIC_URL
    is unset (so links are built from the Host header), the hosts the server is bound
    to (BIND). None: any (PUBLIC_URL is set, and no link reflects the Host header).

    A loopback address brings localhost and the other loopback names; an
    address of every interface (0.0.0.0, ::) brings this machine's names and
    addresses. A name starting with a dot also matches its subdomains.
    """
    listed = [h.strip().lower() for h in settings.get("TRUSTED_HOSTS", "").split(",")]
    if any(listed):
        return frozenset(h for h in listed if h)
    if settings.get("PUBLIC_URL"):
        return None
    found: set[str] = set()
    for address in settings.get("BIND", "127.0.0.1:8000").replace(",", " ").split():
        if address.startswith("unix:"):
            found |= LOOPBACK
            continue
        host = (urlsplit(f"//{address}").hostname or "").lower()
        if host in LOOPBACK:
            found |= LOOPBACK
        elif host in ANY_ADDRESS:
            found |= LOOPBACK | _own_names()
        else:
            found.add(host)
    return frozenset(found)


def _own_names() -> set[str]:
    import psutil

    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family in (socket.AF_INET, socket.AF_INET6):
                names.add(address.address.split("%")[0].lower())
    return names


def _host_allowed(host: str, trusted: frozenset[str]) -> bool:
    try:
        name = (urlsplit(f"//{host}").hostname or "").lower()
    except ValueError:
        return False
    if name in trusted:
        return True
    return any(t.startswith(".") and (name.endswith(t) or name == t[1:]) for t in trusted)


def init_trusted_hosts(app: Flask) -> Callable[[str], bool]:
    """A request whose Host header names another host is a 400 problem: the links a
    response carries are built from it (unless PUBLIC_URL is set). Returns the test
    a Host header must pass."""
    trusted = trusted_hosts(app.config)
    if trusted is None:
        return lambda host: True

    @app.before_request
    def check_host():
        host = request.environ.get("HTTP_HOST")
        if host is not None and not _host_allowed(host, trusted):
            return problems.problem_response(
                400,
                f"This server does not answer for the host {host[:100]!r}. Behind a proxy, "
                "set BRIEFS_PUBLIC_URL to the URL clients use (or BRIEFS_TRUSTED_HOSTS).",
            )
        return None

    return lambda host: _host_allowed(host, trusted)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the WSGI app; ``gunicorn 'api:create_app()'`` serves it."""
    app = App(__name__)
    app.config.update(config.from_environment())
    app.config.update(test_config or {})
    app.config.update(
        API_TITLE="Foreign-policy briefs API",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=DOCS_ASSETS,
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Structured, cited data about international relations. Every fact "
                    "carries its citation: the document, the verbatim quote and its "
                    "code-point offsets. Errors are RFC 9457 problem details."
                ),
            },
        },
    )
    replicating = app.config["REPLICA"]
    app.extensions["briefs.pool"] = ReadPool(Path(app.config["DB"]), replica=replicating)
    app.extensions["briefs.writer"] = Writer(
        Path(app.config["DB"]), autocheckpoint=not app.config["LITESTREAM_CONFIG"]
    )
    app.extensions["briefs.tokens"] = Tokens(Path(app.config["AUTH_DB"]))

    logs.init_app(app)
    host_allowed = init_trusted_hosts(app)
    limits.init_app(app)
    readonly.init_app(app)
    problems.init_app(app)
    representation.init_app(app)
    api = BriefsApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "briefs token create"}
    )
    editing.init_limiter(app)
    app.session_interface = NoSessions()
    from api.web.resources import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    from api.web.pages import blp as pages

    app.register_blueprint(pages)  # HTML, not an API operation: kept out of the OpenAPI document

    dist = _swagger_ui_dist()

    @app.route(f"{DOCS_ASSETS}<path:filename>", endpoint="docs_assets")
    def docs_assets(filename):
        return send_from_directory(dist, filename, max_age=86400)

    cors.init_app(app)
    direct.init_app(app, host_allowed)  # last: in front of every hook
    if not replicating:  # a replica never writes; its follower keeps the index current
        _catch_up(app.extensions["briefs.pool"], app.extensions["briefs.writer"])
    log.info(
        "serving %s with the SQLite engine %s (through %s)",
        app.config["DB"],
        sqlite3.sqlite_version,
        sqlite3.__name__,
    )
    return app
