"""What the tests share beside fixtures: paths, test bodies, a served app, HTTP calls.

Test modules import helpers from here (or ``tests.ingest_helpers`` and
``tests.review_double``), never from one another. Starting a server, waiting
for it, HTTP calls and process trees come from ``deploy.servers``, which the
local cluster and the benchmarks use too.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import shutil
import threading
import time
from pathlib import Path

from api import create_app
from deploy.servers import ROOT, call, children, free_port, gunicorn, running

SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"
ARTICLES = ROOT / "tests" / "articles"
DOCUMENT = "pakistan-russia-relations-a-new-beginning"
DOCUMENT_TEXT_URL = f"/v1/documents/{DOCUMENT}/text"
ARTICLE = "kenya-japan-highway-loan"  # the test article the curation tests post
TEXT_QUOTE = "The annual trade turnover is a pitiful $700 million."

__all__ = ["ROOT", "call", "children", "free_port", "running"]


def article(name: str = ARTICLE) -> dict:
    """A create body of a test article: its metadata and its text."""
    meta = json.loads((ARTICLES / f"{name}.json").read_text())
    return {**meta, "text": (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")}


def source(text: str, quote: str) -> dict:
    """A citation of ``quote`` in the seed document."""
    start = text.index(quote)
    return {"document": DOCUMENT, "quote": quote, "start": start, "end": start + len(quote)}


def agreement(text: str, **changes) -> dict:
    """A valid agreement citing the seed, with ``changes`` applied."""
    body = {
        "title": "Trade turnover target",
        "kind": "agreement",
        "status": "proposed",
        "countries": ["PK", "RU"],
        "date": "2010-11",
        "sector": "trade",
        "summary": "A target for bilateral trade.",
        "sources": [source(text, TEXT_QUOTE)],
    }
    body.update(changes)
    return body


def writable_app(db_path: Path, folder: Path, **config):
    """An app over a private copy of the built database, with its own token store.

    Rate limits are high unless ``config`` says otherwise. Returns (app, db, tokens).
    """
    from api.store.tokens import Tokens

    db = folder / "briefs.db"
    shutil.copy(db_path, db)
    settings = {
        "DB": str(db),
        "AUTH_DB": str(folder / "auth.db"),
        "ACCESS_LOG": False,
        "WRITE_RATE_LIMIT": "1000000/minute",
        "AUTH_FAILURE_RATE_LIMIT": "1000000/minute",
        **config,
    }
    return create_app(settings), db, Tokens(folder / "auth.db")


def with_article(db_path: Path, folder: Path):
    """A writable app holding the test article, and a curator's token.

    Returns (client, auth headers, db, tokens, the article's document id)."""
    app, db, tokens = writable_app(db_path, folder)
    _, secret = tokens.create("curator")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    response = client.post("/v1/documents", json=article(), headers=auth)
    assert response.status_code == 201, response.get_json()
    return client, auth, db, tokens, response.get_json()["id"]


@contextlib.contextmanager
def served(db: Path, log: Path | None = None, **env: str):
    """``gunicorn 'api:create_app()'`` with the project's config, on a free port, ready.

    ``env`` adds BRIEFS_ settings. Yields (base URL, process, log) and stops the
    server afterwards.
    """
    port = free_port()
    log = log or db.with_name(f"gunicorn-{port}.log")
    server = gunicorn(db, log, port, **env)
    server.start()
    try:
        server.wait_ready(30)
        yield server.base, server.process, log
    finally:
        server.stop()


class Readers:
    """Threads reading the API for as long as they run: each read's (seconds, status, path).

    A read whose connection is reset is sent once more, as a client may do with an
    idempotent request (RFC 9110, 9.2.2): a process killed while it holds a request
    cannot answer it, and the server's promise is that the next one is answered.
    ``retried`` counts those second tries; a read fails only when the second fails too."""

    PATHS = ("/v1/agreements?limit=5", "/v1/countries/PK", "/healthz", "/v1/briefs/PK/RU")

    def __init__(self, base: str, threads: int = 3, timeout: float = 10.0) -> None:
        self.base, self.timeout, self.results, self.stop = base, timeout, [], threading.Event()
        self.retried = 0
        self.threads = [threading.Thread(target=self._read, args=(i,)) for i in range(threads)]

    def _get(self, path: str):
        try:
            return call("GET", self.base + path, timeout=self.timeout)[0]
        except (ConnectionResetError, http.client.RemoteDisconnected):
            self.retried += 1
            return call("GET", self.base + path, timeout=self.timeout)[0]

    def _read(self, i: int) -> None:
        n = i
        while not self.stop.is_set():
            path = self.PATHS[n % len(self.PATHS)]
            n += 1
            started = time.monotonic()
            try:
                status = self._get(path)
            except OSError as exc:
                status = repr(exc)
            self.results.append((time.monotonic() - started, status, path))
            time.sleep(0.02)

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()
